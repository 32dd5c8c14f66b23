/**
 * The e2e tests' handle on training in the tab (window.__vae.trainSteps): the per-step losses of
 * the first steps of a run on the embedded digits, for the parity test against onnxruntime-node.
 */

import { loadDigits } from './digits';
import type { RecipeFields } from './recipe-form';

export interface TrainStepsResult {
  /** Per-step losses (−ELBO, nats per example) of the first `steps` steps, in order. */
  losses: number[];
  backend: string;
  threads: number;
  /** From `start()` to the first progress event, and to the last one (ms). */
  firstCallMs: number;
  totalMs: number;
}

/** Trains a fresh run (its own worker and run id) until `steps` steps are done, then stops it. */
export async function trainSteps(
  recipe: RecipeFields & { stepsPerRun: number },
  steps: number,
): Promise<TrainStepsResult> {
  const { BrowserTrainer } = await import('@vae/train-web');
  const bytes = await loadDigits();
  const t = new BrowserTrainer();
  const losses: number[] = [];
  const t0 = performance.now();
  let firstCallMs = 0;
  try {
    const done = new Promise<void>((resolve, reject) => {
      t.on('progress', (p) => {
        if (losses.length === 0) firstCallMs = performance.now() - t0;
        losses.push(...p.stepLosses);
        if (losses.length >= steps) {
          t.stop();
          resolve();
        }
      });
      t.on('error', (e) => reject(new Error(`${e.name}: ${e.message}`)));
      t.on('done', () => resolve());
    });
    const ready = await t.start({
      runId: `parity-${Date.now().toString(36)}`,
      recipe,
      data: { kind: 'digits', bytes },
    });
    await done;
    return {
      losses: losses.slice(0, steps),
      backend: ready.backend,
      threads: ready.threads,
      firstCallMs,
      totalMs: performance.now() - t0,
    };
  } finally {
    t.dispose();
  }
}
