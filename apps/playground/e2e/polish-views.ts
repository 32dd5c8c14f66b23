/**
 * Issue 19's view polish, run by polish.test.ts on the latent-16 grey bundle: honest figures, the
 * intro and "?" help, the picked sample's outline, the map's z readout, slider rows for 16
 * dimensions and the traversal caption, the drawing pad's prompt, score context, ring and Clear.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { canvasPixels, type Session, shot } from './harness';

/** Registers the checks; the test file's beforeAll opens `s`. */
export function viewChecks(s: Session): void {
  let page: Page;
  beforeAll(() => {
    page = s.page;
  });

  /** Draws a ring on the pad with the mouse and waits for its score. */
  async function drawRing(): Promise<void> {
    await page.locator('#draw-pad').scrollIntoViewIfNeeded();
    const box = (await page.locator('#draw-pad').boundingBox())!;
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(cx, cy - 70);
    await page.mouse.down();
    for (let i = 1; i <= 24; i++) {
      const t = (i / 24) * 2 * Math.PI;
      await page.mouse.move(cx + 45 * Math.sin(t), cy - 70 * Math.cos(t));
    }
    await page.mouse.up();
    await page.waitForSelector('#draw-score[data-score]');
  }

  const state = () => page.evaluate(() => window.__vae!.state());

  it('labels the test figure as −ELBO in nats per example, with bits/dim', async () => {
    const info = (await page.locator('#bundle-info').textContent())!;
    console.log(`bundle line: ${info}`);
    expect(info).toMatch(/test −ELBO \d+\.\d nats\/example \(\d\.\d{3} bits\/dim\)/);
    expect(info).not.toMatch(/test_elbo/);
  });

  it('has a short intro, a glossary of its terms and "?" buttons that open with mouse or keyboard', async () => {
    expect(await page.locator('#intro').isVisible()).toBe(true);
    const terms = await page.$$eval('#glossary dt', (dts) => dts.map((d) => d.textContent));
    for (const t of ['ELBO', 'temperature', 'slerp and lerp', 'PCA map', '−log p(x)', 'chosen point'])
      expect(terms).toContain(t);
    const helps = page.locator('button.help:visible');
    expect(await helps.count()).toBeGreaterThanOrEqual(8);
    const temp = page.locator('button.help[data-term="temperature"]');
    const tip = page.locator(`#${await temp.getAttribute('aria-controls')}`);
    expect(await temp.getAttribute('aria-label')).toBe('What is temperature?');
    expect(await tip.isVisible()).toBe(false);
    await temp.click();
    expect(await tip.textContent()).toMatch(/z = t · ε/);
    expect(await tip.isVisible()).toBe(true);
    expect(await temp.getAttribute('aria-expanded')).toBe('true');
    await shot(page, 'polish-after-help', '#samples .controls');
    await page.keyboard.press('Escape');
    expect(await tip.isVisible()).toBe(false);
    await temp.focus();
    await page.keyboard.press('Enter');
    expect(await tip.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect(await tip.isVisible()).toBe(false);
  });

  it('outlines the clicked sample, and no tile once the point comes from elsewhere', async () => {
    await page.locator('#samples-canvas').click({ position: { x: 3 * 87 + 40, y: 2 * 87 + 40 } });
    const pressed = () =>
      page.$$eval('#samples [aria-pressed="true"]', (bs) => bs.map((b) => b.dataset.tile));
    expect(await pressed()).toEqual(['19']);
    expect((await state()).pointSource).toBe('sample 20 (seed 1)');
    const outline = await page.$eval('[data-tile="19"]', (b) => getComputedStyle(b).boxShadow);
    expect(outline).not.toBe('none');
    await shot(page, 'polish-after-samples-picked', '#samples');
    await page.locator('#map-canvas').click({ position: { x: 150, y: 200 } });
    await page.waitForFunction(() => window.__vae!.state().pointSource.startsWith('the map'));
    expect(await pressed()).toEqual([]);
  });

  it('lists the map point as z items that never break inside a number', async () => {
    await page.waitForSelector('#map-z-list li');
    const items = await page.$$eval('#map-z-list li', (lis) =>
      lis.map((li) => ({
        text: li.textContent,
        lines: li.getClientRects().length,
        height: li.getBoundingClientRect().height,
        lineHeight: Number.parseFloat(getComputedStyle(li).fontSize) * 1.6,
      })),
    );
    expect(items).toHaveLength(16);
    for (const it of items) {
      expect(it.text).toMatch(/^z\d+ -?\d+\.\d\d$/);
      expect(it.lines).toBe(1);
      expect(it.height).toBeLessThanOrEqual(it.lineHeight);
    }
    await shot(page, 'polish-after-map-click', '#map');
  });

  it('lines up all 16 slider rows, shows every one without scrolling, and names the traversal', async () => {
    const rows = await page.$$eval('#sliders-list input', (inputs) =>
      inputs.map((i) => {
        const r = i.getBoundingClientRect();
        return { left: r.left, width: r.width, bottom: r.bottom };
      }),
    );
    const list = await page.$eval('#sliders-list', (l) => ({
      scroll: l.scrollHeight - l.clientHeight,
      bottom: l.getBoundingClientRect().bottom,
    }));
    expect(rows).toHaveLength(16);
    for (const r of rows) {
      expect(Math.abs(r.left - rows[0]!.left)).toBeLessThan(0.5);
      expect(r.width).toBe(rows[0]!.width);
    }
    expect(list.scroll).toBeLessThanOrEqual(0);
    expect(rows[15]!.bottom).toBeLessThanOrEqual(list.bottom);
    // The traversal says which dimension and over what range; the menu picks another.
    const z = (await state()).point;
    await page.selectOption('#sliders-dim', '5');
    await page.waitForSelector('#sliders-traverse[data-dim="5"]');
    const caption = (await page.locator('#sliders-traverse-caption').textContent())!;
    const [from, to] = [z[5]! - 3, z[5]! + 3].map((v) => v.toFixed(2));
    console.log(`traversal caption: ${caption}`);
    expect(caption).toContain(`Traversal of z5 from ${from} to ${to}`);
    // Moving a slider makes its dimension the traversed one.
    await page.locator('#sliders-list input[data-dim="11"]').fill('1');
    await page.waitForSelector('#sliders-traverse[data-dim="11"]');
    expect(await page.locator('#sliders-dim').inputValue()).toBe('11');
    await shot(page, 'polish-after-sliders', '#sliders');
  });

  it('asks for a digit, puts the score in context, rings the drawing and clears it all', async () => {
    expect(await page.locator('#draw-score').textContent()).toBe('Draw a digit on the pad.');
    const pointBefore = await page.locator('#map-canvas').getAttribute('data-point');
    await drawRing();
    const score = (await page.locator('#draw-score').textContent())!;
    const context = (await page.locator('#draw-context').textContent())!;
    console.log(`drawing: ${score} | ${context}`);
    expect(score).toMatch(/^−log p\(x\) ≈ \d+\.\d nats \(\d\.\d{3} bits\/dim\), k = 64$/);
    // Placed among the bundle's test scores (score-histogram.test.ts covers the histogram itself).
    expect(context).toMatch(/^(Higher|Lower) than (\d+% of|all 2000) test images: .* for this model/);
    // The drawing's posterior mean is the chosen point, and the map rings it.
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#map-canvas')?.dataset.pointSource === 'your drawing',
    );
    expect(await page.locator('#map-canvas').getAttribute('data-point')).not.toBe(pointBefore);
    expect(await page.locator('#map-ring').textContent()).toMatch(/your drawing/);
    await shot(page, 'polish-after-draw-drawn', '#draw');
    await shot(page, 'polish-after-map-after-draw', '#map');
    // Clear empties the pad, the model input, the reconstruction and the score.
    await page.click('#draw-clear');
    for (const id of ['#draw-input', '#draw-recon', '#draw-pad'])
      expect(new Set(await canvasPixels(page, id)).size, id).toBeLessThanOrEqual(2);
    expect(await page.locator('#draw-score').textContent()).toBe('Draw a digit on the pad.');
    expect(await page.locator('#draw-score').getAttribute('data-score')).toBeNull();
    expect(await page.locator('#draw-context').textContent()).toBe('');
    await shot(page, 'polish-after-draw-cleared', '#draw');
    expect(s.browser.errors).toEqual([]);
  });
}
