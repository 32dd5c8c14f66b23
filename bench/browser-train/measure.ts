// The measurements: a speed page (tfjs and ours training in alternating blocks), a Node run
// (onnxruntime-node through @vae/train-node) and a cold-start page with its memory afterwards.
import { loadavg } from 'node:os';
import { adam, mlpVAE } from '@vae/core';
import type { Dataset } from '@vae/datasets';
import { OrtBackend, train } from '@vae/train-node';
import type { BrowserContext } from 'playwright-core';
import { newPage, withBrowser } from '../lib/chromium';
import { MEMORY_FLAGS, type PageMemory, pageMemory } from './memory';
import type { TrainInitInfo } from './page/src/bench';
import type { BlockResult, ColdResult } from './page/src/common';

export const BATCH = 128;
export const THREADS = [1, 2];

/** The run's sizes (run.ts's flags). */
export interface BenchConfig {
  /** Interleaved rounds: each has a page per thread count and a Node run per thread count. */
  rounds: number;
  /** Timed steps per block; one epoch of the 8000 digits at batch 128 is 62 steps. */
  steps: number;
  /** Blocks per peer per page (tfjs and ours alternate: ABAB..., the next page BABA...). */
  blocks: number;
  /** Untimed steps before a page's first block of each peer (a peer's later blocks get 3). */
  warmup: number;
  /** Cold-start loads per (peer, threads), each in a fresh profile. */
  coldReps: number;
  /** Steps a cold-start page trains after its first (the memory figures are read after them). */
  coldSteps: number;
}

/** Headless Chromium on a fresh profile, with the flags the memory figures need. */
export const withTrainBrowser = <T>(fn: (ctx: BrowserContext) => Promise<T>): Promise<T> =>
  withBrowser({ profilePrefix: 'vae-bench-train-chromium-', extraArgs: MEMORY_FLAGS }, fn);

export interface PageRun {
  round: number;
  threads: number;
  load: number;
  info: TrainInitInfo;
  blocks: BlockResult[];
  /** tfjs's loss at every step it took in this page (warm-up included). */
  tfjsLosses: number[];
}

export async function speedPage(
  base: string,
  threads: number,
  round: number,
  cfg: BenchConfig,
): Promise<PageRun> {
  return withTrainBrowser(async (ctx) => {
    const page = await newPage(ctx);
    await page.goto(`${base}/index.html?threads=${threads}`);
    await page.waitForFunction(() => window.__trainBench !== undefined, undefined, { timeout: 60_000 });
    const load = loadavg()[0]!;
    const info = await page.evaluate(() => window.__trainBench!.init());
    const blocks: BlockResult[] = [];
    const seen = new Set<string>();
    for (let b = 0; b < cfg.blocks; b++) {
      const order = (b + round) % 2 ? (['ours', 'tfjs'] as const) : (['tfjs', 'ours'] as const);
      for (const peer of order) {
        const block = {
          warmup: seen.has(peer) ? Math.min(3, cfg.warmup) : cfg.warmup,
          steps: cfg.steps,
          gapMs: 200,
        };
        const r = await page.evaluate(
          ({ peer, block }) =>
            peer === 'tfjs' ? window.__trainBench!.tfjsBlock(block) : window.__trainBench!.oursBlock(block),
          { peer, block },
        );
        if (r) {
          seen.add(peer);
          blocks.push(r);
        }
      }
    }
    const tfjsLosses = await page.evaluate(() => window.__trainBench!.tfjsLosses());
    return { round, threads, load, info, blocks, tfjsLosses };
  });
}

export interface NodeRun {
  round: number;
  threads: number;
  load: number;
  steps: number;
  samplesPerSecond: number;
  trainSeconds: number;
  /** Mean training loss of each epoch of the timed run (nats per example), from train()'s progress. */
  epochLosses: number[];
}

/**
 * onnxruntime-node through @vae/train-node's train(): a 1-epoch warm-up run (session creation and
 * first calls) then the timed run of `epochs` epochs on the same backend (the session is reused).
 * samples/s is train()'s own: the training loop only, data preparation included.
 */
export async function nodeRun(
  data: Dataset,
  threads: number,
  epochs: number,
  round: number,
): Promise<NodeRun> {
  const backend = new OrtBackend({ threads });
  const load = loadavg()[0]!;
  const common = {
    vae: mlpVAE({ inputSize: 784, latent: 20, hidden: [400], likelihood: { type: 'bernoulli' } }),
    optimizer: adam({ lr: 1e-3 }),
    train: data,
    batchSize: BATCH,
    seed: 1,
    feed: { shape: [784], binarize: true, scale: 255, conditionSize: 0, maskColumns: null },
    backend,
  } as const;
  try {
    await train({ ...common, epochs: 1 });
    const epochLosses: number[] = [];
    const r = await train({
      ...common,
      epochs,
      onProgress: (p) => {
        if (p.epochEnd) epochLosses.push(p.runningLoss);
      },
    });
    return {
      round,
      threads,
      load,
      steps: r.progress.step,
      samplesPerSecond: r.samplesPerSecond,
      trainSeconds: r.trainSeconds,
      epochLosses,
    };
  } finally {
    await backend.dispose();
  }
}

export interface ColdRun {
  peer: string;
  threads: number;
  load: number;
  result: ColdResult | null;
  error: string | null;
  memory: PageMemory | null;
}

/** A cold-start page (`peer`: blank, tfjs, ours or ours?k=N) in a fresh profile, then its memory. */
export async function coldRun(
  base: string,
  peer: string,
  threads: number,
  coldSteps: number,
): Promise<ColdRun> {
  const load = loadavg()[0]!;
  return withTrainBrowser(async (ctx) => {
    const page = await newPage(ctx);
    const [name, query] = peer.split('?');
    const url =
      peer === 'blank'
        ? `${base}/blank.html`
        : `${base}/cold-${name}.html?threads=${threads}&steps=${coldSteps}${query ? `&${query}` : ''}`;
    await page.goto(url);
    await page.waitForFunction(
      () => window.__trainCold !== undefined || window.__trainColdError !== undefined || window.__trainBlank,
      undefined,
      { timeout: 300_000 },
    );
    const error = (await page.evaluate(() => window.__trainColdError)) ?? null;
    const result = (await page.evaluate(() => window.__trainCold)) ?? null;
    const memory = error ? null : await pageMemory(ctx, page);
    return { peer, threads, load, result, error, memory };
  });
}
