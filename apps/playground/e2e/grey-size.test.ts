/**
 * The playground on a 17x23 (HxW) grey bundle trained on binarised pixels (untrained fixture, see
 * packages/core/src/testing/image-fixtures.ts): grids follow the odd geometry, the drawing pad is
 * there and feeds the model 17x23, and the upload box turns a colour PNG into grey 0/1 input.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousViolations, widthAt } from './a11y';
import {
  type Browser,
  canvasPixels,
  greyVariance,
  launch,
  nextRender,
  openPlayground,
  rendered,
  type Server,
  shot,
  startServer,
} from './harness';
import { canvasSize, colourFraction, quadrantsPng } from './pictures';

const { grey } = inject('bundles');
let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer(grey);
  browser = await launch();
  page = browser.page;
  expect(await openPlayground(page, server.url)).toBe(true);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

describe('playground (17x23 grey, binarised)', () => {
  it('tiles 17x23 samples (3x on screen) and the strips', async () => {
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#samples-canvas')?.dataset.rendered,
    );
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#interp-canvas')?.dataset.rendered);
    const size = await canvasSize(page, '#samples-canvas');
    const px = await canvasPixels(page, '#samples-canvas');
    console.log(
      `grey samples: ${size.width}x${size.height} shown ${size.cssWidth}x${size.cssHeight}; grey variance ${greyVariance(px).toFixed(0)}`,
    );
    expect(size).toEqual({ width: 8 * 24 - 1, height: 8 * 18 - 1, cssWidth: 3 * 191, cssHeight: 3 * 143 });
    expect(colourFraction(px)).toBe(0);
    expect(greyVariance(px)).toBeGreaterThan(100);
    expect(await canvasSize(page, '#interp-canvas')).toMatchObject({ width: 10 * 24 - 1, height: 17 });
  });

  it('encodes a drawing at 17x23', async () => {
    // Its labels are not digits: the pad asks for a drawing, not a digit.
    expect(await page.locator('#draw-score').textContent()).toBe('Draw on the pad.');
    await page.locator('#draw-pad').scrollIntoViewIfNeeded();
    const box = (await page.locator('#draw-pad').boundingBox())!;
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(cx - 60, cy - 40);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(cx - 60 + 6 * i, cy - 40 + 4 * i);
    await page.mouse.up();
    await page.waitForSelector('#draw-score[data-score]');
    const input = await canvasPixels(page, '#draw-input');
    expect(await canvasSize(page, '#draw-input')).toMatchObject({ width: 23, height: 17 });
    expect(await canvasSize(page, '#draw-recon')).toMatchObject({ width: 23, height: 17 });
    // Binarised input: every value black or white.
    expect(input.every((v) => v === 0 || v === 255)).toBe(true);
    expect(greyVariance(input)).toBeGreaterThan(500);
  });

  it('turns an uploaded colour PNG into grey 0/1 input and reconstructs it', async () => {
    const before = await rendered(page, '#upload-recon');
    const png = await quadrantsPng(page, 64, 30);
    await page.setInputFiles('#upload-file', { name: 'wide.png', mimeType: 'image/png', buffer: png });
    await nextRender(page, '#upload-recon', before);
    const input = await canvasPixels(page, '#upload-input');
    const recon = await canvasPixels(page, '#upload-recon');
    console.log(`grey upload: ${await page.locator('#upload-info').textContent()}`);
    expect(await canvasSize(page, '#upload-input')).toMatchObject({ width: 23, height: 17 });
    expect(colourFraction(input)).toBe(0);
    expect(input.every((v) => v === 0 || v === 255)).toBe(true);
    // Luma of red (76), green (150), blue (29), yellow (226) binarised at 0.5: only green and yellow are white.
    const at = (x: number, y: number) => input[(y * 23 + x) * 4]!;
    expect([at(1, 1), at(21, 1), at(1, 15), at(21, 15)]).toEqual([0, 255, 0, 255]);
    expect(greyVariance(recon)).toBeGreaterThan(0);
    expect(await page.locator('#upload-how').textContent()).toMatch(/17x23 \(HxW\).*grey.*binarised/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'grey-page', undefined, 'polish-after-grey17x23-page');
  });

  it('has no serious or critical axe violations and fits a 420 px screen', async () => {
    expect(await seriousViolations(page, 'grey 17x23')).toEqual([]);
    const w = await widthAt(page, 420);
    expect(w.scrollWidth, w.over.join(', ')).toBeLessThanOrEqual(420);
    expect(browser.errors).toEqual([]);
  });
});
