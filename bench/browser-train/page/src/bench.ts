// The training benchmark page: tfjs and ours (when available) train the same recipe in this one page,
// in alternating blocks of steps. Driven by run.ts through window.__trainBench; ?threads=N (1 or 2)
// is fixed per page load because both runtimes fix their thread pools when they start.
import {
  Batches,
  type BlockResult,
  type Digits,
  fetchDigits,
  pageParams,
  pageThreads,
  RECIPE,
  sleep,
} from './common';
import { createOurs, type OursPeer } from './ours';
import { initTfjs, TfjsVae } from './tfjs-trainer';

export interface TrainInitInfo {
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** Threads each runtime says it uses. */
  tfjsThreads: number;
  oursThreads: number | null;
  /** Why ours is not measured, when it is not. */
  oursError: string | null;
  /** ms: tfjs backend init, data fetch, our trainer's creation. */
  createMs: Record<string, number>;
  digits: number;
  stepsPerEpoch: number;
}

export interface BlockConfig {
  warmup: number;
  steps: number;
  /** Idle time before the block, so the other peer's spinning threads settle. */
  gapMs: number;
}

let digits: Digits | null = null;
let tfjs: { vae: TfjsVae; batches: Batches; threads: number } | null = null;
let ours: OursPeer | null = null;

async function init(): Promise<TrainInitInfo> {
  const createMs: Record<string, number> = {};
  let t = performance.now();
  const tfjsThreads = await initTfjs(pageThreads);
  createMs['tfjs backend init'] = performance.now() - t;
  t = performance.now();
  digits = await fetchDigits();
  createMs['data fetch'] = performance.now() - t;
  tfjs = {
    vae: new TfjsVae(1, pageParams.get('tfjs') !== 'unfused'),
    batches: new Batches(digits),
    threads: tfjsThreads,
  };
  let oursError: string | null = null;
  t = performance.now();
  try {
    ours = await createOurs(pageThreads);
    createMs.ours = performance.now() - t;
  } catch (e) {
    oursError = String(e);
  }
  return {
    crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    tfjsThreads,
    oursThreads: ours?.runtimeThreads ?? null,
    oursError,
    createMs,
    digits: digits.count,
    stepsPerEpoch: tfjs.batches.stepsPerEpoch,
  };
}

async function tfjsBlock(cfg: BlockConfig): Promise<BlockResult> {
  if (!tfjs) throw new Error('init first');
  const { vae, batches } = tfjs;
  await sleep(cfg.gapMs);
  for (let i = 0; i < cfg.warmup; i++) vae.step(batches.next());
  const stepsBefore = vae.steps;
  const losses: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < cfg.steps; i++) losses.push(vae.step(batches.next()));
  const seconds = (performance.now() - t0) / 1000;
  return {
    peer: 'tfjs',
    threads: tfjs.threads,
    warmup: cfg.warmup,
    steps: cfg.steps,
    seconds,
    samplesPerSecond: (cfg.steps * RECIPE.batch) / seconds,
    losses,
    stepsBefore,
  };
}

async function oursBlock(cfg: BlockConfig): Promise<BlockResult | null> {
  if (!ours) return null;
  await sleep(cfg.gapMs);
  return ours.block(cfg);
}

/** tfjs's loss at every step it took in this page, warm-up steps included. */
function tfjsLosses(): number[] {
  return tfjs?.vae.losses ?? [];
}

declare global {
  interface Window {
    __trainBench?: {
      init: typeof init;
      tfjsBlock: typeof tfjsBlock;
      oursBlock: typeof oursBlock;
      tfjsLosses: typeof tfjsLosses;
    };
  }
}
window.__trainBench = { init, tfjsBlock, oursBlock, tfjsLosses };
document.title = 'train bench ready';
