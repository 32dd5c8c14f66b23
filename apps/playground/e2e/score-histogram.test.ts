/**
 * The drawing's score on the test set's score distribution: after a drawing, a histogram of the
 * bundle's test scores (written by `vae export`) with the drawing's score marked and its percentile
 * in words, consistent with the histogram's counts; Clear hides it; axe-core finds nothing serious.
 * A bundle without test scores (an older export) says so and keeps the average −ELBO comparison.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousViolations } from './a11y';
import { type Browser, launch, openPlayground, type Server, shot, startServer } from './harness';

interface TestScores {
  k: number;
  seed: number;
  n: number;
  quantiles: number[];
  histogram: { edges: number[]; counts: number[] };
}

const { plain } = inject('bundles');
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

/**
 * One stroke on the pad with the mouse through `at(t)` for t in [0, 1] (pad-centred pixels);
 * resolves with the score once the drawing is scored.
 */
async function drawStroke(page: Page, at: (t: number) => [number, number]): Promise<number> {
  await page.locator('#draw-pad').scrollIntoViewIfNeeded();
  const box = (await page.locator('#draw-pad').boundingBox())!;
  const go = (t: number) => {
    const [x, y] = at(t);
    return page.mouse.move(box.x + box.width / 2 + x, box.y + box.height / 2 + y);
  };
  await go(0);
  await page.mouse.down();
  for (let i = 1; i <= 40; i++) await go(i / 40);
  await page.mouse.up();
  await page.waitForSelector('#draw-score[data-score]');
  return Number(await page.locator('#draw-score').getAttribute('data-score'));
}

/** A zero-like ring. */
const drawCircle = (page: Page) =>
  drawStroke(page, (t) => [45 * Math.sin(2 * Math.PI * t), -70 * Math.cos(2 * Math.PI * t)]);
/** A wave across the whole pad: nothing like a digit. */
const drawScribble = (page: Page) =>
  drawStroke(page, (t) => [100 * (2 * t - 1), 90 * Math.sin(5 * Math.PI * t)]);

describe('drawing pad: score histogram (bundle with test scores)', () => {
  let server: Server;
  let browser: Browser;
  const t = manifestOf(plain).testScores as TestScores;

  beforeAll(async () => {
    server = await startServer(plain);
    browser = await launch();
    expect(await openPlayground(browser.page, server.url)).toBe(true);
  });
  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  it('the exported bundle carries test scores on the pad’s measure', () => {
    expect(t).toMatchObject({ k: 64, seed: 7, n: 2000 });
    expect(t.quantiles).toHaveLength(101);
  });

  it('marks the drawing on the histogram and gives its percentile, consistent with the counts', async () => {
    const page = browser.page;
    expect(await page.locator('#draw-hist').isHidden()).toBe(true);
    const score = await drawCircle(page);
    await page.waitForSelector('#draw-hist:not([hidden]) svg[data-percentile]');
    const svg = page.locator('#draw-hist svg');
    expect(await svg.getAttribute('role')).toBe('img');
    const label = (await svg.getAttribute('aria-label'))!;
    const p = Number(await svg.getAttribute('data-percentile'));
    const context = (await page.locator('#draw-context').textContent())!;
    console.log(`drawing ${score.toFixed(2)} nats: ${label}\ncontext: ${context}`);
    // One bar per bin and one marker, where the score is along the axis.
    expect(await page.locator('#draw-hist rect').count()).toBe(t.histogram.counts.length);
    const marker = page.locator('#draw-hist line.marker');
    expect(await marker.count()).toBe(1);
    const { edges, counts } = t.histogram;
    const lo = Math.min(edges[0]!, score);
    const hi = Math.max(edges.at(-1)!, score);
    const x = Number(await marker.getAttribute('x1'));
    expect((x - 10) / (300 - 20)).toBeCloseTo((score - lo) / (hi - lo), 6);
    // The percentile lies between the shares of test images in the bins wholly below the score and
    // in the bins up to the score's (the histogram's counts, an independent summary of the scores).
    let below = 0;
    let upTo = 0;
    counts.forEach((c, b) => {
      if (edges[b + 1]! <= score) below += c;
      if (edges[b]! <= score) upTo += c;
    });
    expect(p).toBeGreaterThanOrEqual((100 * below) / t.n - 1);
    expect(p).toBeLessThanOrEqual((100 * upTo) / t.n + 1);
    // The words say the percentile (or its complement below the median), never rounded up.
    const [, side, amount] = label.match(
      /(higher|lower) than (\d+% of|all 2000) test images: .* for this model/,
    )!;
    const said = amount === 'all 2000' ? 100 : Number.parseInt(amount!, 10);
    expect(said).toBe(Math.min(100, Math.floor(side === 'higher' ? p : 100 - p)));
    expect(context).toMatch(
      /test images: .* for this model \(the first 2000 test images, scored the same way\)/,
    );
    expect(await seriousViolations(page, 'score histogram')).toEqual([]);
    console.log(`screenshot: ${await shot(page, 'score-histogram', '#draw')}`);
    // Clear hides the histogram with the rest of the drawing's analysis.
    await page.click('#draw-clear');
    expect(await page.locator('#draw-hist').isHidden()).toBe(true);
    expect(browser.errors).toEqual([]);
  });

  it('places a scribble far up the distribution, above the ring', async () => {
    const page = browser.page;
    await page.click('#draw-clear');
    const ring = await drawCircle(page);
    await page.waitForSelector('#draw-hist svg[data-percentile]');
    const ringP = Number(await page.locator('#draw-hist svg').getAttribute('data-percentile'));
    await page.click('#draw-clear');
    const scribble = await drawScribble(page);
    await page.waitForSelector('#draw-hist svg[data-percentile]');
    const p = Number(await page.locator('#draw-hist svg').getAttribute('data-percentile'));
    const label = await page.locator('#draw-hist svg').getAttribute('aria-label');
    console.log(
      `ring ${ring.toFixed(1)} nats (${ringP.toFixed(1)}%); scribble ${scribble.toFixed(1)} nats: ${label}`,
    );
    console.log(`screenshot: ${await shot(page, 'score-histogram-scribble', '#draw')}`);
    expect(scribble).toBeGreaterThan(ring);
    expect(p).toBeGreaterThan(ringP);
    expect(p).toBeGreaterThanOrEqual(95);
    expect(label).toMatch(/unusual for this model/);
    expect(browser.errors).toEqual([]);
  });
});

describe('drawing pad: score histogram (older bundle, no test scores)', () => {
  let server: Server;
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'vae-pg-old-bundle-'));

  beforeAll(async () => {
    // The same bundle as an older export wrote it: manifest.json without testScores (the manifest
    // is not among the hashed files, so the bundle stays valid).
    cpSync(plain, dir, { recursive: true });
    const m = manifestOf(dir);
    delete m.testScores;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    server = await startServer(dir);
    browser = await launch();
    expect(await openPlayground(browser.page, server.url)).toBe(true);
  });
  afterAll(async () => {
    await browser?.close();
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the bundle has no test-score distribution and keeps the average −ELBO comparison', async () => {
    const page = browser.page;
    await drawCircle(page);
    await page.waitForSelector('#draw-hist-old:not([hidden])');
    expect(await page.locator('#draw-hist').isHidden()).toBe(true);
    expect(await page.locator('#draw-hist-old').textContent()).toMatch(
      /no test-set score distribution \(an older export\)/,
    );
    expect(await page.locator('#draw-context').textContent()).toMatch(/Test examples average −ELBO .* nats/);
    console.log(`screenshot: ${await shot(page, 'score-histogram-old-bundle', '#draw')}`);
    expect(browser.errors).toEqual([]);
  });
});
