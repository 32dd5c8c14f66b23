/**
 * The playground on a 32x32 RGB bundle (untrained; its decoder draws smooth colour waves, see
 * packages/core/src/testing/image-fixtures.ts): every picture view follows the bundle's geometry and
 * colour, the drawing pad is absent, and the upload box reconstructs a PNG; bad files and drops.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousViolations, widthAt } from './a11y';
import { dropBundle, shownError } from './drop';
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
import { canvasSize, colourFraction, dropFiles, QUADRANTS, quadrantsPng } from './pictures';

const { rgb } = inject('bundles');
let server: Server;
let browser: Browser;
let page: Page;
let png: Buffer;

beforeAll(async () => {
  server = await startServer(rgb);
  browser = await launch();
  page = browser.page;
  expect(await openPlayground(page, server.url)).toBe(true);
  png = await quadrantsPng(page, 48, 40);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

/** Uploads a file through the picker and waits for the reconstruction. */
async function upload(name: string, bytes: Buffer): Promise<void> {
  const before = await rendered(page, '#upload-recon');
  await page.setInputFiles('#upload-file', { name, mimeType: 'image/png', buffer: bytes });
  await nextRender(page, '#upload-recon', before);
}

describe('playground (32x32 RGB)', () => {
  it('draws a 8 x 8 grid of 32x32 colour samples, scaled 2x', async () => {
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#samples-canvas')?.dataset.rendered,
    );
    const size = await canvasSize(page, '#samples-canvas');
    const px = await canvasPixels(page, '#samples-canvas');
    const colour = colourFraction(px);
    console.log(
      `rgb samples: ${size.width}x${size.height} shown ${size.cssWidth}x${size.cssHeight}; ${(100 * colour).toFixed(0)}% coloured pixels`,
    );
    expect(size).toEqual({ width: 8 * 33 - 1, height: 8 * 33 - 1, cssWidth: 526, cssHeight: 526 });
    expect(colour).toBeGreaterThan(0.5);
  });

  it('renders the interpolation strip (endpoints exact) and the sliders at 32x32', async () => {
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#interp-canvas')?.dataset.rendered);
    expect(await canvasSize(page, '#interp-canvas')).toMatchObject({ width: 10 * 33 - 1, height: 32 });
    const { a, b } = await page.evaluate(() => window.__vae!.state());
    const [pa, pb] = await page.evaluate(
      async ([a, b]) => [await window.__vae!.pixels(a!), await window.__vae!.pixels(b!)],
      [a, b],
    );
    expect(maxAbsDiff(await canvasPixels(page, '#interp-canvas', 0, 0, 32, 32), pa!)).toBeLessThanOrEqual(1);
    expect(
      maxAbsDiff(await canvasPixels(page, '#interp-canvas', 9 * 33, 0, 32, 32), pb!),
    ).toBeLessThanOrEqual(1);
    expect(colourFraction(pa!)).toBeGreaterThan(0.5);

    await page.waitForSelector('#sliders-canvas[data-z]');
    const before = await page.locator('#sliders-canvas').getAttribute('data-z');
    await page.locator('#sliders-list input[data-dim="1"]').fill('2');
    await page.waitForFunction(
      (b) => document.querySelector<HTMLElement>('#sliders-canvas')?.dataset.z !== b,
      before,
    );
    const z = JSON.parse((await page.locator('#sliders-canvas').getAttribute('data-z'))!) as number[];
    const want = await page.evaluate((z) => window.__vae!.pixels(z), z);
    expect(await canvasSize(page, '#sliders-canvas')).toMatchObject({ width: 32, height: 32, cssWidth: 160 });
    expect(maxAbsDiff(await canvasPixels(page, '#sliders-canvas'), want)).toBeLessThanOrEqual(1);
    expect(await canvasSize(page, '#sliders-traverse')).toMatchObject({ width: 9 * 33 - 1, height: 32 });
  });

  it('decodes a latent-map click into a 32x32 colour picture', async () => {
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#map-canvas')?.dataset.method);
    await page.locator('#map-canvas').click({ position: { x: 180, y: 180 } });
    await page.waitForSelector('#map-decoded[data-z]');
    const z = JSON.parse((await page.locator('#map-decoded').getAttribute('data-z'))!) as number[];
    const got = await canvasPixels(page, '#map-decoded');
    expect(z).toHaveLength(4);
    expect(await canvasSize(page, '#map-decoded')).toMatchObject({ width: 32, height: 32 });
    expect(maxAbsDiff(got, await page.evaluate((z) => window.__vae!.pixels(z), z))).toBeLessThanOrEqual(1);
    expect(colourFraction(got)).toBeGreaterThan(0.5);
  });

  it('has no drawing pad, and says why', async () => {
    expect(await page.locator('#draw-pad').isVisible()).toBe(false);
    expect(await page.locator('#draw-absent').textContent()).toMatch(/3-channel/);
  });

  it('reconstructs an uploaded PNG: centre-cropped to 32x32, colours kept, its latent on the map', async () => {
    const t0 = Date.now();
    await upload('quadrants.png', png);
    const ms = Date.now() - t0;
    const input = await canvasPixels(page, '#upload-input');
    const recon = await canvasPixels(page, '#upload-recon');
    const at = (x: number, y: number) => input.slice((y * 32 + x) * 4, (y * 32 + x) * 4 + 3);
    const corners = [at(2, 2), at(29, 2), at(2, 29), at(29, 29)];
    const score = Number(await page.locator('#upload-recon').getAttribute('data-score'));
    const point = (await page.evaluate(() => window.__vae!.state())).point;
    console.log(
      `upload: ${ms} ms; ${await page.locator('#upload-info').textContent()}; input corners ${JSON.stringify(corners)}; reconstruction variance ${greyVariance(recon).toFixed(0)}, ${(100 * colourFraction(recon)).toFixed(0)}% coloured`,
    );
    expect(await canvasSize(page, '#upload-input')).toMatchObject({ width: 32, height: 32, cssWidth: 160 });
    corners.forEach((c, i) => expect(maxAbsDiff(c, QUADRANTS[i]!)).toBeLessThanOrEqual(8));
    expect(await canvasSize(page, '#upload-recon')).toMatchObject({ width: 32, height: 32 });
    expect(recon.some((v, i) => i % 4 !== 3 && v > 0)).toBe(true);
    expect(colourFraction(recon)).toBeGreaterThan(0.5);
    expect(Number.isFinite(score)).toBe(true);
    expect(await page.locator('#map-canvas').getAttribute('data-point')).toBe(point.slice(0, 2).join(','));
    expect(await page.locator('#error').isHidden()).toBe(true);
    await shot(page, 'rgb-upload', '#upload');
  });

  it('takes an image dropped on the upload box as an upload, not a bundle', async () => {
    const before = await rendered(page, '#upload-recon');
    await dropFiles(page, '#upload-drop', [{ name: 'dropped.png', type: 'image/png', bytes: png }]);
    await nextRender(page, '#upload-recon', before);
    expect(await page.locator('#upload-info').textContent()).toMatch(/^dropped\.png/);
    expect((await page.evaluate(() => window.__vae!.state())).source).toBe('./bundle/');
    expect(await page.locator('#error').isHidden()).toBe(true);
  });

  it('shows a one-line error for a file that is not an image, and keeps working', async () => {
    await page.setInputFiles('#upload-file', {
      name: 'notes.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not a picture'),
    });
    const err = await shownError(page);
    console.log(`bad upload: ${err.text}`);
    expect(err.reason).toBe('input');
    expect(err.text).toMatch(/notes\.png: not a PNG or JPEG image/);
    await page.click('#error-close');
    await upload('again.png', png);
    expect(await page.locator('#error').isHidden()).toBe(true);
  });

  it('saves a screenshot of the page', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    console.log(`screenshot: ${await shot(page, 'rgb-page', undefined, 'polish-after-rgb-page')}`);
  });

  it('has no serious or critical axe violations and fits a 420 px screen', async () => {
    expect(await seriousViolations(page, 'rgb 32x32')).toEqual([]);
    const w = await widthAt(page, 420, () => shot(page, 'polish-after-rgb-narrow-420'));
    console.log(`rgb at 420 px: scrollWidth ${w.scrollWidth} ${w.over.join(', ')}`);
    expect(w.scrollWidth).toBeLessThanOrEqual(420);
  });

  it('loads a bundle dropped on the upload box as a bundle', async () => {
    await dropBundle(page, 'none', '#upload-drop');
    await page.waitForFunction(() => window.__vae!.state().source.includes('dropped'));
    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(browser.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
