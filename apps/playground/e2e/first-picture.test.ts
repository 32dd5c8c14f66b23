/**
 * The first picture (src/first-picture/): the prior-samples grid that @vae/core's interpreter draws
 * while onnxruntime-web loads is the model's own output: the same z as `model.sample` on
 * onnxruntime-web, decoder params and data-space means equal to float rounding, with the address's
 * seed, temperature and label; the onnxruntime-web grid then replaces it.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type Browser, launch, maxAbsDiff, openPlayground, type Server, startServer } from './harness';

const { plain, conditional } = inject('bundles');
const open: { server: Server; browser: Browser }[] = [];

afterAll(async () => {
  for (const { browser, server } of open) {
    await browser.close();
    server.stop();
  }
});

/** Opens the playground on `bundle` with `query`; the interpreter's grid and onnxruntime-web's for the same draw. */
async function firstAndOrt(bundle: string, query: string) {
  const server = await startServer(bundle);
  const browser = await launch();
  open.push({ server, browser });
  const { page } = browser;
  expect(await openPlayground(page, `${server.url}${query}`)).toBe(true);
  const first = await page.evaluate(() => window.__vae!.firstPicture());
  const g = first.grid!;
  const ort = await page.evaluate(([s, t]) => window.__vae!.sample(64, s!, t!), [g.seed, g.temperature]);
  // The model's own grid has replaced the interpreter's.
  await page.waitForFunction(() => document.querySelector<HTMLElement>('#samples-canvas')?.dataset.rendered);
  return { first, g, ort, errors: browser.errors };
}

describe('first picture by the interpreter', () => {
  it('equals the onnxruntime-web grid of the same seed and temperature', async () => {
    const { first, g, ort, errors } = await firstAndOrt(plain, '?seed=3&t=0.8');
    expect(first.path).toBe('interpreter');
    expect([g.seed, g.temperature, g.label]).toEqual([3, 0.8, 0]);
    expect(g.z).toEqual(ort.z); // the same draws, bit for bit
    const dParams = maxAbsDiff(g.params, ort.params);
    const dValues = maxAbsDiff(g.values, ort.values);
    console.log(`interpreter vs onnxruntime-web, 64 samples: params ${dParams}, data-space means ${dValues}`);
    expect(dParams).toBeLessThan(1e-4);
    expect(dValues).toBeLessThan(1e-5);
    expect(errors).toEqual([]);
  });

  it('decodes a conditional model with the address label', async () => {
    const { first, g, ort, errors } = await firstAndOrt(conditional, '?label=7');
    expect(first.path).toBe('interpreter');
    expect(g.label).toBe(7);
    expect(g.z).toEqual(ort.z);
    expect(maxAbsDiff(g.params, ort.params)).toBeLessThan(1e-4);
    expect(maxAbsDiff(g.values, ort.values)).toBeLessThan(1e-5);
    expect(errors).toEqual([]);
  });
});
