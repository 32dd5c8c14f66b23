// Ours: @vae/train-web's BrowserTrainer (core's training step graph on onnxruntime-web, in a Web
// Worker), measured in the same page as tfjs at the same thread counts. The package is imported on
// demand, so the tfjs pages never load it.
import type { BrowserTrainer as Trainer, TrainerEvent } from '@vae/train-web';
import { type BlockResult, RECIPE } from './common';

/** What the bench needs from our browser trainer. */
export interface OursPeer {
  /** Threads onnxruntime-web runs with, as the trainer reports them (null before the first run). */
  readonly runtimeThreads: number | null;
  /** A fresh run: `warmup` untimed steps (at least one step call), then at least `steps` timed ones. */
  block(cfg: { warmup: number; steps: number }): Promise<BlockResult>;
  /**
   * Cold start: resolves when the first training step call has completed (performance.now() then,
   * and the steps it held), and `done` once `steps` more have run.
   */
  cold(steps: number, stepsPerRun?: number): Promise<OursCold>;
  dispose(): void;
}

export interface OursCold {
  /** performance.now() when the worker's backend was up (start() resolved). */
  ready: number;
  firstStep: number;
  firstCallSteps: number;
  firstLoss: number;
  done: Promise<{ steps: number; samplesPerSecond: number; lastLoss: number }>;
}

/** Where the driver puts the embedded digits' cache file (the form @vae/train-web's `digits` data take). */
export const DIGITS_CACHE_URL = '/data/digits.bin';

/** Steps per epoch of the digits' 7000 training examples (vae train's split) at batch 128. */
const STEPS_PER_EPOCH = 54;

type Progress = TrainerEvent<'progress'>;
/** A progress event and when it arrived. */
type Seen = Progress & { at: number };

let runs = 0;

/**
 * One run of `vae train`'s default recipe on the digits (its split: 7000 train, 1000 validation);
 * resolves with every progress event once the run is done.
 */
function run(
  trainer: Trainer,
  bytes: Uint8Array,
  threads: number,
  recipe: { epochs: number; stepsPerRun?: number },
  on: { first?: (p: Seen) => void; ready?: (at: number) => void } = {},
): Promise<{ seen: Seen[]; threads: number }> {
  return new Promise((resolve, reject) => {
    const seen: Seen[] = [];
    let used = threads;
    const offs = [
      trainer.on('progress', (p) => {
        const s = { ...p, at: performance.now() };
        if (seen.length === 0) on.first?.(s);
        seen.push(s);
      }),
      trainer.on('done', () => {
        for (const off of offs) off();
        resolve({ seen, threads: used });
      }),
      trainer.on('error', (m) => {
        if (m.id !== undefined) return;
        for (const off of offs) off();
        reject(new Error(m.message));
      }),
    ];
    trainer
      .start({
        runId: `bench-${Date.now()}-${runs++}`,
        recipe: {
          batchSize: RECIPE.batch,
          learningRate: RECIPE.lr,
          latent: RECIPE.latent,
          hidden: [RECIPE.hidden],
          ...recipe,
        },
        data: { kind: 'digits', bytes: bytes.slice() },
        threads,
      })
      .then((ready) => {
        on.ready?.(performance.now());
        used = ready.threads;
      }, reject);
  });
}

/**
 * Steps and training seconds between two progress events. The trainer's samplesPerSecond is
 * cumulative over the run (samples / training seconds; validation and checkpoints excluded, as
 * train-node's), so the training seconds up to an event are step * batch / samplesPerSecond.
 */
function between(a: Progress | null, b: Progress): { steps: number; seconds: number } {
  const secs = (p: Progress | null) => (p ? (p.step * RECIPE.batch) / p.samplesPerSecond : 0);
  return { steps: b.step - (a?.step ?? 0), seconds: secs(b) - secs(a) };
}

/** Our trainer on `threads` threads (the digits fetched from the driver's server). */
export async function createOurs(threads: number): Promise<OursPeer> {
  const [{ BrowserTrainer }, bytes] = await Promise.all([
    import('@vae/train-web'),
    fetch(DIGITS_CACHE_URL).then(async (r) => {
      if (!r.ok) throw new Error(`${DIGITS_CACHE_URL}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    }),
  ]);
  const trainer = new BrowserTrainer();
  let runtimeThreads: number | null = null;
  return {
    get runtimeThreads() {
      return runtimeThreads;
    },
    async block({ warmup, steps }) {
      const epochs = Math.ceil(Math.max(1, warmup) / STEPS_PER_EPOCH) + Math.ceil(steps / STEPS_PER_EPOCH);
      const { seen, threads: used } = await run(trainer, bytes, threads, { epochs });
      runtimeThreads = used;
      // The untimed part: every step call up to and including the one that reaches `warmup`.
      const w = seen.findIndex((p) => p.step >= Math.max(1, warmup));
      const { steps: n, seconds } = between(seen[w] ?? null, seen.at(-1)!);
      return {
        peer: 'ours',
        threads: used,
        warmup: seen[w]?.step ?? 0,
        steps: n,
        seconds,
        samplesPerSecond: (n * RECIPE.batch) / seconds,
        losses: seen.slice(w + 1).flatMap((p) => p.stepLosses),
        stepsBefore: 0,
      };
    },
    async cold(steps, stepsPerRun) {
      let first!: (p: Seen) => void;
      const firstSeen = new Promise<Seen>((r) => (first = r));
      let ready = Number.NaN;
      // The first call may hold a whole epoch (54 steps): `steps` more after it.
      const recipe = {
        epochs: 1 + Math.ceil(steps / STEPS_PER_EPOCH),
        ...(stepsPerRun ? { stepsPerRun } : {}),
      };
      const done = run(trainer, bytes, threads, recipe, { first, ready: (at) => (ready = at) });
      const f = await Promise.race([firstSeen, done.then(() => null)]);
      if (!f) throw new Error('the run ended before its first progress event');
      return {
        ready,
        firstStep: f.at,
        firstCallSteps: f.step,
        firstLoss: f.stepLosses[0]!,
        done: done.then(({ seen, threads: used }) => {
          runtimeThreads = used;
          const last = seen.at(-1)!;
          const r = between(f, last);
          return {
            steps: r.steps,
            samplesPerSecond: (r.steps * RECIPE.batch) / r.seconds,
            lastLoss: last.stepLosses.at(-1)!,
          };
        }),
      };
    },
    dispose() {
      trainer.dispose();
    },
  };
}
