/**
 * Issue 17's "Train here" panel in real Chromium: (a) the browser's per-step losses equal
 * onnxruntime-node's for the same seed, data and recipe; (b) one epoch of the embedded digits
 * trained through the panel gives digit-like samples (screenshot) and a bundle whose test ELBO is
 * within a stated margin of `vae train` + `vae export` on the same recipe, and the bundle becomes
 * the page's model; (c) a reload mid-training offers Resume, which continues from the stored
 * checkpoint (the step count does not restart). Own files and a page with no bundle: train-here-files.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
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
import { tileInk } from './train-here-helpers';
import { cliBundle, type MlpRecipe, nodeStepLosses } from './train-node-reference';

const { plain } = inject('bundles');

/** Parity: `vae train`'s defaults for the MLP on the digits (784-400-20, batch 128), 4 steps per call. */
const RECIPE: MlpRecipe = {
  model: 'mlp',
  latent: 20,
  hidden: [400],
  epochs: 1,
  batchSize: 128,
  learningRate: 1e-3,
  seed: 1,
  stepsPerRun: 4,
};
/** What the panel starts with: the same at batch 32 (218 steps in one epoch). */
const PANEL: MlpRecipe = { ...RECIPE, batchSize: 32, stepsPerRun: 16 };
/** Parity: two calls of four steps. */
const PARITY_STEPS = 8;
/**
 * Relative tolerance on per-step losses. Same ONNX step graph, same feeds (data order,
 * binarisation and noise all come from the seed), float32 throughout; onnxruntime-web's wasm SIMD
 * kernels and onnxruntime-node's native MLAS kernels may sum matrix products in other orders, so
 * the losses agree to rounding (~1e-7 relative), and Adam's updates carry the difference into the
 * next steps' weights, where dividing by sqrt(v) + eps magnifies it in tiny gradients. 1e-5
 * relative (about 0.005 nats of a ~540-nat first loss) is far below any real difference (a wrong
 * batch, key or update moves a loss by whole nats).
 */
const PARITY_REL = 1e-5;
/**
 * Margin on the test ELBO (nats per example) of one epoch, browser vs `vae train` + `vae export`:
 * the same run up to float rounding (same examples, order, binarisation and noise; the same
 * evaluation draw), so they agree to a small fraction of a nat (measured: equal to the 3 decimals
 * printed, ~159.3 nats). 0.25 nats (0.16%) leaves room for rounding differences growing over 218
 * Adam steps on other CPUs' kernels; a real difference (another split, key or update) is whole nats.
 */
const ELBO_MARGIN = 0.25;

const status = (page: Page) =>
  page.evaluate(() => ({ ...document.querySelector<HTMLElement>('#train-status')!.dataset }));

describe('Train here (real Chromium)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  const tmp = mkdtempSync(join(tmpdir(), 'vae-pg-train-'));
  let cli: Promise<Record<string, unknown>>;

  beforeAll(async () => {
    // The Node reference of (b) trains while the browser starts.
    cli = cliBundle(PANEL, join(tmp, 'node-run'));
    cli.catch(() => undefined);
    server = await startServer(plain);
    browser = await launch();
    page = browser.page;
    expect(await openPlayground(page, server.url)).toBe(true);
  });
  afterAll(async () => {
    await browser?.close();
    server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('(a) per-step losses in Chromium equal onnxruntime-node’s for the same seed, data and recipe', async () => {
    await cli; // one trainer at a time on 2 cores
    const t0 = performance.now();
    const web = await page.evaluate(({ r, n }) => window.__vae!.trainSteps(r, n), {
      r: RECIPE,
      n: PARITY_STEPS,
    });
    const webMs = performance.now() - t0;
    const node = await nodeStepLosses(RECIPE, PARITY_STEPS);
    const rel = web.losses.map((v, i) => Math.abs(v - node[i]!) / Math.abs(node[i]!));
    const abs = web.losses.map((v, i) => Math.abs(v - node[i]!));
    console.log(
      `parity (${web.backend}, ${web.threads} threads; first call ${web.firstCallMs.toFixed(0)} ms after start, ` +
        `${PARITY_STEPS} steps ${(webMs / 1000).toFixed(1)} s in all):\n` +
        `  chromium ${web.losses.map((v) => v.toFixed(4)).join(' ')}\n  node     ${node.map((v) => v.toFixed(4)).join(' ')}\n` +
        `  max abs diff ${Math.max(...abs).toExponential(2)} nats, max rel diff ${Math.max(...rel).toExponential(2)}`,
    );
    expect(web.losses).toHaveLength(PARITY_STEPS);
    expect(node).toHaveLength(PARITY_STEPS);
    expect(Math.max(...rel)).toBeLessThan(PARITY_REL);
    // Training, not noise: the loss falls over the first steps.
    expect(web.losses.at(-1)!).toBeLessThan(web.losses[0]!);
  });

  it('(b) trains 1 epoch of the embedded digits through the panel; digit-like samples; test ELBO as Node’s', async () => {
    await page.locator('#train').scrollIntoViewIfNeeded();
    await page.fill('#train-epochs', '1');
    const before = {
      samples: await rendered(page, '#samples-canvas'),
      interp: await rendered(page, '#interp-canvas'),
    };
    const t0 = performance.now();
    await page.click('#train-start');
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('#train-status')!.dataset.step) > 0,
      null,
      {
        timeout: 60_000,
      },
    );
    const firstStepMs = performance.now() - t0;
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('#train-status')!.dataset.loaded) > 0,
      null,
      {
        timeout: 120_000,
      },
    );
    const totalMs = performance.now() - t0;
    const s = await status(page);
    const text = await page.locator('#train-status').textContent();
    console.log(
      `panel: first step ${firstStepMs.toFixed(0)} ms after Start; trained + exported + loaded in ${(totalMs / 1000).toFixed(1)} s\n  ${text}`,
    );
    expect(s.state).toBe('done');
    // The sample grid: 16 digits after training; not blank, with ink and background.
    await page.waitForSelector('#train-samples[data-rendered]');
    console.log(`screenshot: ${await shot(page, 'train-here-samples', '.train-samples')}`);
    console.log(`screenshot: ${await shot(page, 'train-here-panel', '#train')}`);
    const px = await canvasPixels(page, '#train-samples');
    const tiles = tileInk(px, 4 * 28 + 3);
    console.log(
      `samples: grey variance ${greyVariance(px).toFixed(0)}; per tile, mean grey of the 4-px border / the centre 12x12: ` +
        tiles.map((t) => `${t.border.toFixed(0)}/${t.centre.toFixed(0)}`).join(' '),
    );
    // Digit-like: ink in the middle of every tile on a dark background, as in MNIST (the grid shows
    // decoder means, so strokes are soft; a hazy sample may grey its border a little).
    const borders = tiles.reduce((a, t) => a + t.border, 0) / tiles.length;
    expect(borders).toBeLessThan(15);
    for (const t of tiles) {
      expect(t.border).toBeLessThan(40);
      expect(t.centre).toBeGreaterThan(t.border + 30);
    }
    // The bundle is the page's model now: every view works on it.
    const st = await page.evaluate(() => window.__vae!.state());
    expect(st.source).toBe('trained in this tab');
    expect(st.latent).toBe(PANEL.latent);
    expect((st.manifest as { recipe: { batchSize?: number } }).recipe).toMatchObject({ batchSize: 32 });
    await nextRender(page, '#samples-canvas', before.samples);
    await nextRender(page, '#interp-canvas', before.interp);
    expect(await page.locator('#bundle-info').textContent()).toMatch(
      /^trained in this tab: latent 20 .*test −ELBO/,
    );
    // Its test ELBO against `vae train` + `vae export` of the same recipe.
    const web = (st.manifest as { metrics: { test_elbo: number } }).metrics.test_elbo;
    const node = ((await cli) as { metrics: { test_elbo: number } }).metrics.test_elbo;
    console.log(
      `test ELBO (manifest metrics.test_elbo): browser ${web}, node ${node} (diff ${Math.abs(web - node).toExponential(2)} nats; margin ${ELBO_MARGIN})`,
    );
    expect(Math.abs(web - node)).toBeLessThan(ELBO_MARGIN);
    // The test-score histogram (the drawing pad's scale): the same measure, noise and examples as
    // `vae export`'s, so its quantiles agree as closely as the weights do.
    type Scores = { testScores: { n: number; quantiles: number[] } };
    const webScores = (st.manifest as Scores).testScores;
    const nodeScores = ((await cli) as Scores).testScores;
    const worstQ = Math.max(...webScores.quantiles.map((q, i) => Math.abs(q - nodeScores.quantiles[i]!)));
    console.log(`test-score quantiles: browser vs node, max |diff| ${worstQ.toExponential(2)} nats`);
    expect(webScores.n).toBe(nodeScores.n);
    expect(worstQ).toBeLessThan(ELBO_MARGIN);
    // "Download bundle": a zip of the bundle folder, the same files the page loaded.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#train-download')]);
    const zip = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    const manifest = JSON.parse(strFromU8(zip['bundle/manifest.json']!));
    console.log(`download: ${download.suggestedFilename()} holds ${Object.keys(zip).join(', ')}`);
    expect(manifest.metrics.test_elbo).toBe(web);
    expect(Object.keys(zip)).toEqual(expect.arrayContaining(['bundle/encoder.onnx', 'bundle/decoder.onnx']));
    expect(await seriousViolations(page, 'train here, trained')).toEqual([]);
    const narrow = await widthAt(page, 420, () => shot(page, 'train-here-420', '#train'));
    expect(narrow.over).toEqual([]);
    expect(narrow.scrollWidth).toBeLessThanOrEqual(420);
    expect(browser.errors).toEqual([]);
  });

  it('(c) a reload mid-training offers Resume, which continues from the stored checkpoint', async () => {
    await page.fill('#train-epochs', '3');
    await page.click('#train-start');
    // A checkpoint is written at each epoch's end (and every 10 s inside one).
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('#train-status')!.dataset.checkpointStep) > 0,
      null,
      { timeout: 90_000 },
    );
    const saved = Number((await status(page)).checkpointStep);
    const before = Number((await status(page)).step);
    await page.reload();
    await page
      .waitForFunction(() => window.__vae !== undefined, null, { timeout: 60_000 })
      .catch(async (e) => {
        const state = await page.evaluate(
          () => `${document.readyState}, ${document.body.innerHTML.length} chars`,
        );
        throw new Error(`the reloaded page did not start (${state}); errors: ${browser.errors.join('; ')}`, {
          cause: e,
        });
      });
    await page.waitForSelector('#train-resume-row:not([hidden])', { timeout: 30_000 });
    const offer = await page.locator('#train-resume-row').textContent();
    console.log(`after reload at step ${before} (checkpoint ${saved}): ${offer}`);
    expect(offer).toContain(`step ${saved}`);
    await page.click('#train-resume');
    await page.waitForFunction(
      (saved) => Number(document.querySelector<HTMLElement>('#train-status')!.dataset.step) > saved,
      saved,
      { timeout: 60_000 },
    );
    const after = await status(page);
    console.log(`resumed: first step after the reload ${after.firstStep}, now step ${after.step}`);
    // The run continued where the checkpoint left it: its first step is the checkpoint's next.
    expect(Number(after.firstStep)).toBe(saved + 1);
    expect(await page.locator('#train-epochs').inputValue()).toBe('3');
    // Pause holds the step count; Continue goes on from it.
    await page.click('#train-pause');
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#train-status')!.dataset.state === 'paused',
    );
    const paused = Number((await status(page)).step);
    await page.waitForTimeout(1000);
    expect(Number((await status(page)).step)).toBe(paused);
    await page.click('#train-continue');
    await page.waitForFunction(
      (paused) => Number(document.querySelector<HTMLElement>('#train-status')!.dataset.step) > paused,
      paused,
    );
    console.log(`paused at step ${paused}, continued to ${(await status(page)).step}`);
    await page.click('#train-stop');
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#train-status')!.dataset.state === 'stopped',
    );
    expect(await seriousViolations(page, 'train here, resumed')).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
