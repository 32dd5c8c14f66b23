/**
 * Issue 19's keyboard-only and screen-reader pass, run by polish.test.ts on the latent-16 grey
 * bundle: Tab reaches every control, each has a name and a visible focus outline; the sample grid,
 * the map, the sliders and the drawing pad work from the keyboard; axe-core finds nothing serious;
 * at 420 px the page is no wider than the screen.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { seriousViolations, tabStops, widthAt } from './a11y';
import { type Session, shot } from './harness';

/** Registers the checks; the test file's beforeAll opens `s`. */
export function keyboardChecks(s: Session): void {
  let page: Page;
  beforeAll(() => {
    page = s.page;
  });

  const state = () => page.evaluate(() => window.__vae!.state());

  /** Every control of an image bundle's page, as tabStops names them. */
  const CONTROLS = [
    'summary',
    'help:elbo',
    'bundle-files',
    'share-link',
    'samples-seed',
    'help:seed',
    'samples-temperature',
    'help:temperature',
    'samples-resample',
    'samples-download',
    'tile0',
    'map-canvas',
    'help:map',
    'interp-set-a',
    'interp-set-b',
    'interp-swap',
    'interp-mode',
    'help:slerp',
    'interp-download',
    'help:chosen',
    'point-download',
    'sliders-reset',
    'sliders-commit',
    ...Array.from({ length: 16 }, (_, d) => `z${d}`),
    'sliders-dim',
    'help:traversal',
    'sliders-download-strip',
    'draw-clear',
    'draw-pad',
    'help:score',
    'upload-file',
  ];

  it('reaches every control with Tab, in page order, each named and with a visible focus', async () => {
    const stops = await tabStops(page, CONTROLS.length + 2);
    const keys = stops.map((s) => s.key);
    console.log(`tab order: ${keys.join(' ')}`);
    expect(keys.slice(0, CONTROLS.length)).toEqual(CONTROLS);
    for (const s of stops.slice(0, CONTROLS.length)) {
      expect(s.name, s.key).not.toBe('');
      expect(s.outline, s.key).toMatch(/^solid [23]px$/);
    }
    await page.focus('#map-canvas');
    await shot(page, 'polish-after-map-focus', '#map');
  });

  it('picks a sample with arrow keys and Enter', async () => {
    await page.focus('#samples [data-tile="0"]');
    for (const k of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowDown', 'Enter'])
      await page.keyboard.press(k);
    expect((await state()).pointSource).toBe('sample 12 (seed 1)');
    expect(await page.$$eval('#samples [aria-pressed="true"]', (b) => b.map((x) => x.dataset.tile))).toEqual([
      '11',
    ]);
  });

  it('moves the chosen point on the map with the arrow keys', async () => {
    const ring = async () =>
      (await page.locator('#map-canvas').getAttribute('data-point'))!.split(',').map(Number);
    const [x0, y0] = await ring();
    await page.focus('#map-canvas');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => window.__vae!.state().pointSource.startsWith('the map'));
    const [x1, y1] = await ring();
    await page.keyboard.press('Shift+ArrowUp');
    await page.waitForFunction((x) => {
      const p = document.querySelector<HTMLElement>('#map-canvas')?.dataset.point?.split(',').map(Number);
      return p && p[1]! > x;
    }, y1!);
    const [x2, y2] = await ring();
    console.log(`map keys: (${x0}, ${y0}) → (${x1}, ${y1}) → (${x2}, ${y2})`);
    expect(x1!).toBeGreaterThan(x0!);
    expect(Math.abs(y1! - y0!)).toBeLessThan(1e-3);
    expect(y2! - y1!).toBeGreaterThan(x1! - x0!); // Shift: a larger step (5x in pixels)
    await page.waitForSelector('#map-decoded[data-z]');
  });

  it('moves a slider with the arrow keys and says its value', async () => {
    const before = await page.locator('#sliders-canvas').getAttribute('data-z');
    await page.focus('#sliders-list input[data-dim="3"]');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      (b) => document.querySelector<HTMLElement>('#sliders-canvas')?.dataset.z !== b,
      before,
    );
    const z = JSON.parse((await page.locator('#sliders-canvas').getAttribute('data-z'))!) as number[];
    expect(z[3]! - (await state()).point[3]!).toBeCloseTo(0.05, 5);
    expect(await page.locator('#sliders-list input[data-dim="3"]').getAttribute('aria-valuetext')).toMatch(
      /^z3 = -?\d+\.\d\d \(offset \+0\.05\)$/,
    );
  });

  it('draws on the pad with the keyboard', async () => {
    await page.focus('#draw-pad');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Space');
    await page.waitForSelector('#draw-score[data-score]');
    expect((await state()).pointSource).toBe('your drawing');
    await shot(page, 'polish-after-draw-keyboard', '#draw');
  });

  it('has no serious or critical axe violations (glossary open)', async () => {
    await page.click('#glossary summary');
    expect(await seriousViolations(page, 'grey 28x28')).toEqual([]);
  });

  it('fits a 420 px screen without sideways scrolling', async () => {
    const w = await widthAt(page, 420, () => shot(page, 'polish-after-narrow-420'));
    console.log(
      `420 px: scrollWidth ${w.scrollWidth}${w.over.length ? `; too wide: ${w.over.join(', ')}` : ''}`,
    );
    expect(w.scrollWidth).toBeLessThanOrEqual(420);
    expect(s.browser.errors).toEqual([]);
  });
}
