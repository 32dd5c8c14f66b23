/**
 * Erase and fill under the drawing pad: after a drawing, erasing part of its model input (a button,
 * or a drag with the mouse) shows the erased pixels in red and the model's fill beside it; the kept
 * pixels of the fill are the input's own, byte for byte, and the erased ones are filled (not red,
 * not the original, not blank). Clear hides the view; axe-core finds nothing serious.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousViolations } from './a11y';
import {
  type Browser,
  canvasPixels,
  launch,
  openPlayground,
  type Server,
  shot,
  startServer,
} from './harness';

const { plain } = inject('bundles');
const W = 28;

/** A zero-like ring on the pad; resolves once the drawing is analysed. */
async function drawRing(page: Page): Promise<void> {
  await page.locator('#draw-pad').scrollIntoViewIfNeeded();
  const box = (await page.locator('#draw-pad').boundingBox())!;
  const go = (t: number) =>
    page.mouse.move(
      box.x + box.width / 2 + 45 * Math.sin(2 * Math.PI * t),
      box.y + box.height / 2 - 70 * Math.cos(2 * Math.PI * t),
    );
  await go(0);
  await page.mouse.down();
  for (let i = 1; i <= 40; i++) await go(i / 40);
  await page.mouse.up();
  await page.waitForSelector('#draw-score[data-score]');
  await page.waitForSelector('#erase-centre:not([disabled])');
}

/** Waits for a fill newer than `before` (the filled canvas's data-rendered counter). */
async function nextFill(page: Page, before: string | undefined): Promise<void> {
  await page.waitForFunction(
    (b) => {
      const r = document.querySelector<HTMLElement>('#erase-filled')?.dataset.rendered;
      return r !== undefined && r !== b;
    },
    before,
    { timeout: 30_000 },
  );
}
const rendered = (page: Page) =>
  page.evaluate(() => document.querySelector<HTMLElement>('#erase-filled')?.dataset.rendered);

/** Per pixel: [r, g, b] of RGBA bytes. */
const px = (rgba: number[], p: number) => rgba.slice(p * 4, p * 4 + 3);
const isRed = (rgba: number[], p: number) => px(rgba, p).join() === '255,0,0';

describe('drawing pad: erase and fill', () => {
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer(plain);
    browser = await launch();
    expect(await openPlayground(browser.page, server.url)).toBe(true);
  });
  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  it('fills the erased bottom half and keeps the top half as drawn', async () => {
    const page = browser.page;
    await drawRing(page);
    const input = await canvasPixels(page, '#draw-input');
    expect(input.length).toBe(W * W * 4);
    const before = await rendered(page);
    await page.click('#erase-bottom');
    await nextFill(page, before);
    const masked = await canvasPixels(page, '#erase-input');
    const filled = await canvasPixels(page, '#erase-filled');
    let changed = 0;
    let ink = 0;
    for (let p = 0; p < W * W; p++) {
      const erased = Math.floor(p / W) >= W / 2;
      expect(isRed(masked, p)).toBe(erased);
      if (!erased) {
        // Kept pixels: the model input's own, in the masked and in the filled picture.
        expect(px(filled, p)).toEqual(px(input, p));
        expect(px(masked, p)).toEqual(px(input, p));
        continue;
      }
      expect(isRed(filled, p)).toBe(false);
      if (filled[p * 4] !== input[p * 4]) changed++;
      ink = Math.max(ink, filled[p * 4]!);
    }
    // The fill is the model's: it differs from the erased drawing, and the ring's lower half comes
    // back as some ink (a blank or copied half would not).
    console.log(
      `bottom half: ${changed} of ${(W * W) / 2} erased pixels differ from the drawing; brightest ${ink}`,
    );
    expect(changed).toBeGreaterThan(50);
    expect(ink).toBeGreaterThan(100);
    const status = await page.locator('#erase-status').textContent();
    expect(status).toMatch(
      /^Filled 392 erased pixels \(Metropolis-within-Gibbs, 100 iterations, \d+% of proposals accepted\)\.$/,
    );
    console.log(`screenshot: ${await shot(page, 'erase-fill', '#erase-fill')}`);
    expect(await seriousViolations(page, 'erase and fill')).toEqual([]);
    expect(browser.errors).toEqual([]);
  });

  it('a drag over the picture erases a stroke-wide path, and only it is filled', async () => {
    const page = browser.page;
    await page.click('#erase-reset');
    const input = await canvasPixels(page, '#draw-input');
    const box = (await page.locator('#erase-input').boundingBox())!;
    const before = await rendered(page);
    await page.mouse.move(box.x + 0.1 * box.width, box.y + 0.5 * box.height);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++)
      await page.mouse.move(box.x + (0.1 + 0.04 * i) * box.width, box.y + 0.5 * box.height);
    await page.mouse.up();
    await nextFill(page, before);
    const masked = await canvasPixels(page, '#erase-input');
    const filled = await canvasPixels(page, '#erase-filled');
    let erased = 0;
    for (let p = 0; p < W * W; p++) {
      if (isRed(masked, p)) {
        erased++;
        // Only rows near the middle are erased.
        expect(Math.abs(Math.floor(p / W) + 0.5 - W / 2)).toBeLessThan(3);
        expect(isRed(filled, p)).toBe(false);
      } else expect(px(filled, p)).toEqual(px(input, p));
    }
    expect(erased).toBeGreaterThan(40);
    expect(await page.locator('#erase-status').textContent()).toContain(`Filled ${erased} erased pixels`);
    // Clear hides the view with the rest of the drawing's analysis.
    await page.click('#draw-clear');
    expect(await page.locator('#erase-fill').isHidden()).toBe(true);
    expect(await page.locator('#erase-centre').isDisabled()).toBe(true);
    expect(browser.errors).toEqual([]);
  });
});
