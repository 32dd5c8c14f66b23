/** The playground with a conditional latent-2 bundle: the label picker and the identity latent map. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  canvasPixels,
  greyVariance,
  launch,
  maxAbsDiff,
  nextRender,
  openPlayground,
  rendered,
  type Server,
  shot,
  startServer,
} from './harness';

const { conditional } = inject('bundles');
let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer(conditional);
  browser = await launch();
  page = browser.page;
  expect(await openPlayground(page, server.url)).toBe(true);
  await page.waitForFunction(() => document.querySelector<HTMLElement>('#samples-canvas')?.dataset.rendered);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

async function pickLabel(k: number): Promise<number[]> {
  const before = await rendered(page, '#samples-canvas');
  await page.check(`#labels-group input[value="${k}"]`);
  await nextRender(page, '#samples-canvas', before);
  return canvasPixels(page, '#samples-canvas');
}

describe('playground (conditional, latent 2)', () => {
  it('shows a label picker whose label changes the samples', async () => {
    expect(await page.locator('#labels').isVisible()).toBe(true);
    expect(await page.locator('#labels-group input').count()).toBe(10);
    const zero = await canvasPixels(page, '#samples-canvas');
    const three = await pickLabel(3);
    const seven = await pickLabel(7);
    const zeroAgain = await pickLabel(0);
    const d = (a: number[], b: number[]) => a.filter((v, i) => v !== b[i]).length / a.length;
    console.log(
      `label picker: label 3 changes ${(100 * d(zero, three)).toFixed(0)}% of grid values, label 7 ${(100 * d(three, seven)).toFixed(0)}% vs 3`,
    );
    expect(greyVariance(zero)).toBeGreaterThan(300);
    expect(d(zero, three)).toBeGreaterThan(0.1);
    expect(d(three, seven)).toBeGreaterThan(0.1);
    expect(zeroAgain).toEqual(zero);
    await pickLabel(3);
    expect((await page.evaluate(() => window.__vae!.state())).label).toBe(3);
  });

  it('decodes a latent-map click at exactly the clicked z (identity map) with the picked label', async () => {
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#map-canvas')?.dataset.method);
    expect(await page.locator('#map-canvas').getAttribute('data-method')).toBe('identity');
    await page.locator('#map-canvas').click({ position: { x: 200, y: 150 } });
    await page.waitForSelector('#map-decoded[data-z]');
    const z = JSON.parse((await page.locator('#map-decoded').getAttribute('data-z'))!) as number[];
    const want = await page.evaluate((z) => window.__vae!.pixels(z, 3), z);
    const got = await canvasPixels(page, '#map-decoded');
    console.log(
      `conditional map click -> z = [${z.map((v) => v.toFixed(3)).join(', ')}] label 3, picture diff ${maxAbsDiff(got, want)}`,
    );
    expect(z).toHaveLength(2);
    expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1);
    // Another label re-decodes the same point.
    const other = await page.evaluate((z) => window.__vae!.pixels(z, 8), z);
    await page.check('#labels-group input[value="8"]');
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#map-decoded')?.dataset.label === '8',
    );
    expect(maxAbsDiff(await canvasPixels(page, '#map-decoded'), other)).toBeLessThanOrEqual(1);
    // The address keeps the label with the chosen point.
    await page.waitForFunction(() => new URLSearchParams(location.search).get('label') === '8');
  });

  it('saves screenshots of the conditional views', async () => {
    await shot(page, 'conditional-page');
    await shot(page, 'conditional-labels', '#labels');
    await shot(page, 'conditional-latent-map', '#map');
    expect(browser.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
