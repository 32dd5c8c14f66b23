/**
 * The playground in real headless Chromium, with an unconditional latent-16 bundle served by
 * serve.mjs: isolation and threads, every view, parity with onnxruntime-node, bad drops.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropBundle, shownError } from './drop';
import {
  type Browser,
  canvasPixels,
  greyVariance,
  launch,
  maxAbsDiff,
  nextRender,
  onnxruntimeNode,
  openPlayground,
  rendered,
  type Server,
  shot,
  startServer,
} from './harness';

const { plain } = inject('bundles');
let server: Server;
let browser: Browser;
let page: Page;
let loadMs = 0;

beforeAll(async () => {
  server = await startServer(plain);
  browser = await launch();
  page = browser.page;
  const t0 = Date.now();
  expect(await openPlayground(page, server.url)).toBe(true);
  loadMs = Date.now() - t0;
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

/** Grid pixels after the current render. */
const samplePixels = () => canvasPixels(page, '#samples-canvas');

async function setSeed(seed: number): Promise<void> {
  const before = await rendered(page, '#samples-canvas');
  await page.fill('#samples-seed', String(seed));
  await page.locator('#samples-seed').dispatchEvent('change');
  await nextRender(page, '#samples-canvas', before);
}

describe('playground (unconditional, latent 16)', () => {
  it('is cross-origin isolated and runs onnxruntime-web with more than one thread', async () => {
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const threads = Number(await page.locator('#readout').getAttribute('data-threads'));
    console.log(
      `page load to model ready: ${loadMs} ms; readout: ${await page.locator('#readout').textContent()}`,
    );
    expect(threads).toBeGreaterThan(1);
    expect(await page.locator('#error').isHidden()).toBe(true);
  });

  it('draws a non-blank sample grid; another seed differs, the same seed repeats exactly', async () => {
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#samples-canvas')?.dataset.rendered,
    );
    await setSeed(1);
    const first = await samplePixels();
    const variance = greyVariance(first);
    const before = await rendered(page, '#samples-canvas');
    await page.click('#samples-resample');
    await nextRender(page, '#samples-canvas', before);
    const other = await samplePixels();
    await setSeed(1);
    const again = await samplePixels();
    const changed = other.filter((v, i) => v !== first[i]).length;
    console.log(
      `sample grid: grey variance ${variance.toFixed(0)}, ${changed} channel values differ with seed 2, seed 1 again max diff ${maxAbsDiff(first, again)}`,
    );
    expect(variance).toBeGreaterThan(300);
    expect(changed).toBeGreaterThan(first.length / 20);
    expect(again).toEqual(first);
  });

  it('temperature 0 draws every sample at the prior mean (64 equal tiles)', async () => {
    const before = await rendered(page, '#samples-canvas');
    await page.locator('#samples-temperature').fill('0');
    await nextRender(page, '#samples-canvas', before);
    const t0 = await canvasPixels(page, '#samples-canvas', 0, 0, 28, 28);
    const t63 = await canvasPixels(page, '#samples-canvas', 7 * 29, 7 * 29, 28, 28);
    expect(t63).toEqual(t0);
    const back = await rendered(page, '#samples-canvas');
    await page.locator('#samples-temperature').fill('1');
    await nextRender(page, '#samples-canvas', back);
  });

  it('renders the interpolation strip with endpoints equal to the decoded endpoints', async () => {
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#interp-canvas')?.dataset.rendered);
    const { a, b } = await page.evaluate(() => window.__vae!.state());
    const [pa, pb] = await page.evaluate(
      async ([a, b]) => [await window.__vae!.pixels(a!), await window.__vae!.pixels(b!)],
      [a, b],
    );
    const first = await canvasPixels(page, '#interp-canvas', 0, 0, 28, 28);
    const last = await canvasPixels(page, '#interp-canvas', 9 * 29, 0, 28, 28);
    const mid = await canvasPixels(page, '#interp-canvas', 5 * 29, 0, 28, 28);
    const dFirst = maxAbsDiff(first, pa!);
    const dLast = maxAbsDiff(last, pb!);
    console.log(
      `interpolation: |strip[0] - decode(A)| = ${dFirst}, |strip[9] - decode(B)| = ${dLast} (0..255), |A - B| picture diff ${maxAbsDiff(pa!, pb!)}`,
    );
    expect(dFirst).toBeLessThanOrEqual(1);
    expect(dLast).toBeLessThanOrEqual(1);
    expect(greyVariance(mid)).toBeGreaterThan(100);
    // Picking new endpoints re-renders the strip: B <- a grid sample.
    const before = await rendered(page, '#interp-canvas');
    await page.locator('#samples-canvas').click({ position: { x: 3 * 87 + 40, y: 2 * 87 + 40 } });
    await page.click('#interp-set-b');
    await nextRender(page, '#interp-canvas', before);
    const s = await page.evaluate(() => window.__vae!.state());
    expect(s.b).toEqual(s.point);
  });

  it('decodes the same z in Chromium (wasm) as onnxruntime-node does, to 1e-5', async () => {
    const ort = onnxruntimeNode();
    const session = await ort.InferenceSession.create(readFileSync(join(plain, 'decoder.onnx')));
    const zs = [
      Array.from({ length: 16 }, () => 0),
      Array.from({ length: 16 }, (_, d) => [0.5, -1.2, 2.1, 0.3, -0.7, 1.5, -2.4, 0.9][d % 8]!),
      Array.from({ length: 16 }, (_, d) => [-3, 3, -1, 1, -0.25, 0.25, 2.5, -2.5][d % 8]! / (1 + (d >> 3))),
    ];
    let worst = 0;
    for (const z of zs) {
      const web = await page.evaluate((z) => window.__vae!.decode(z), z);
      const out = await session.run({ z: new ort.Tensor('float32', Float32Array.from(z), [1, 16]) });
      const node = out.params!.data as Float32Array;
      expect(web).toHaveLength(node.length);
      worst = Math.max(worst, maxAbsDiff(web, node));
    }
    await session.release();
    console.log(
      `parity: max |wasm - onnxruntime-node| over ${zs.length} z x 784 logits = ${worst.toExponential(2)}`,
    );
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it('moves a slider and decodes the moved point', async () => {
    const before = await page.locator('#sliders-canvas').getAttribute('data-z');
    await page.locator('#sliders-list input[data-dim="2"]').fill('1.5');
    await page.waitForFunction(
      (b) => document.querySelector<HTMLElement>('#sliders-canvas')?.dataset.z !== b,
      before,
    );
    const z = JSON.parse((await page.locator('#sliders-canvas').getAttribute('data-z'))!) as number[];
    const point = (await page.evaluate(() => window.__vae!.state())).point;
    expect(z[2]! - point[2]!).toBeCloseTo(1.5, 5);
    const want = await page.evaluate((z) => window.__vae!.pixels(z), z);
    expect(maxAbsDiff(await canvasPixels(page, '#sliders-canvas'), want)).toBeLessThanOrEqual(1);
  });

  it('encodes a mouse drawing: a reconstruction and a finite anomaly score', async () => {
    await page.locator('#draw-pad').scrollIntoViewIfNeeded();
    const box = (await page.locator('#draw-pad').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy - 70);
    await page.mouse.down();
    for (let i = 1; i <= 40; i++) {
      const t = (i / 40) * 2 * Math.PI;
      await page.mouse.move(cx + 45 * Math.sin(t), cy - 70 * Math.cos(t));
    }
    await page.mouse.up();
    await page.waitForSelector('#draw-score[data-score]');
    const score = Number(await page.locator('#draw-score').getAttribute('data-score'));
    const recon = await canvasPixels(page, '#draw-recon');
    const input = await canvasPixels(page, '#draw-input');
    console.log(
      `drawing: ${await page.locator('#draw-score').textContent()}; input variance ${greyVariance(input).toFixed(0)}, reconstruction variance ${greyVariance(recon).toFixed(0)}`,
    );
    expect(Number.isFinite(score)).toBe(true);
    expect(score).toBeGreaterThan(0);
    expect(greyVariance(input)).toBeGreaterThan(500);
    expect(greyVariance(recon)).toBeGreaterThan(100);
  });

  it('decodes the point clicked on the latent map', async () => {
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#map-canvas')?.dataset.method);
    expect(await page.locator('#map-canvas').getAttribute('data-method')).toBe('pca');
    await page.locator('#map-canvas').click({ position: { x: 150, y: 200 } });
    await page.waitForSelector('#map-decoded[data-z]');
    const z = JSON.parse((await page.locator('#map-decoded').getAttribute('data-z'))!) as number[];
    const want = await page.evaluate((z) => window.__vae!.pixels(z), z);
    const got = await canvasPixels(page, '#map-decoded');
    console.log(
      `latent map click -> z = [${z.map((v) => v.toFixed(2)).join(', ')}], picture diff ${maxAbsDiff(got, want)}`,
    );
    expect(z).toHaveLength(16);
    expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1);
    expect(greyVariance(got)).toBeGreaterThan(100);
  });

  it('reports decode latencies in the readout', async () => {
    for (let i = 0; i < 5; i++) {
      const before = await rendered(page, '#samples-canvas');
      await page.click('#samples-resample');
      await nextRender(page, '#samples-canvas', before);
    }
    const r = page.locator('#readout');
    const grid = Number(await r.getAttribute('data-grid-ms'));
    const single = Number(await r.getAttribute('data-single-ms'));
    const load = Number(await r.getAttribute('data-load-ms'));
    console.log(`readout: ${await r.textContent()}`);
    expect(grid).toBeGreaterThan(0);
    expect(single).toBeGreaterThan(0);
    expect(load).toBeGreaterThan(0);
  });

  it('saves a screenshot of each view', async () => {
    const shots = [
      await shot(page, 'page', undefined, 'polish-after-grey-page'),
      await shot(page, 'samples', '#samples'),
      await shot(page, 'interpolation', '#interpolate'),
      await shot(page, 'sliders', '#sliders'),
      await shot(page, 'latent-map', '#map'),
      await shot(page, 'drawing-pad', '#draw'),
      await shot(page, 'readout', 'header'),
    ];
    console.log(`screenshots:\n${shots.join('\n')}`);
  });

  it.each([
    ['json', 'malformed', /not valid JSON/],
    ['version', 'version', /formatVersion 99 is not supported/],
    ['hash', 'hash', /decoder\.onnx/],
  ] as const)(
    'a dropped bundle with a bad %s shows the error and keeps the page usable',
    async (breakage, reason, text) => {
      await page.evaluate(() => document.querySelector<HTMLButtonElement>('#error-close')?.click());
      await dropBundle(page, breakage);
      const err = await shownError(page);
      console.log(`drop (${breakage}): ${err.text.replace(/\s+/g, ' ').slice(0, 200)}`);
      expect(err.reason).toBe(reason);
      expect(err.text).toMatch(text);
      if (breakage === 'hash') await shot(page, 'error-panel', '#error');
      // Still usable: the old model stays and re-samples.
      expect((await page.evaluate(() => window.__vae!.state())).source).toBe('./bundle/');
      const before = await rendered(page, '#samples-canvas');
      await page.click('#samples-resample');
      await nextRender(page, '#samples-canvas', before);
    },
  );

  it('shows a fetch error, without hanging, for a bundle URL that is not there', async () => {
    const other = await browser.context.newPage();
    try {
      expect(await openPlayground(other, `${server.url}?bundle=./nowhere/`)).toBe(false);
      const err = await shownError(other);
      console.log(`missing bundle URL: ${err.text.replace(/\s+/g, ' ').slice(0, 160)}`);
      expect(err.reason).toBe('fetch');
      expect(err.text).toMatch(/nowhere\/manifest\.json: HTTP 404/);
      // No "loading…" left beside the error: the line says that nothing is loaded.
      expect(await other.locator('#bundle-info').textContent()).toMatch(/^No model loaded: drop a bundle/);
      expect(await other.locator('#samples').isVisible()).toBe(false);
      expect(await other.locator('#status').textContent()).toBe('');
      await shot(other, 'polish-after-failed-load');
    } finally {
      await other.close();
    }
  });

  it('loads a good dropped bundle and clears the error', async () => {
    await dropBundle(page, 'none');
    await page.waitForFunction(() => window.__vae!.state().source.includes('dropped'));
    expect(await page.locator('#error').isHidden()).toBe(true);
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#map-canvas')?.dataset.method === 'pca',
    );
    expect(browser.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
