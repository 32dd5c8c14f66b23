import { fold, type HostTensor, type PRNGKey, seriesStepScoreGraph, sliceRows } from '@vae/core';
import { type SeriesPeriod, stepScores } from '@vae/datasets';
import type { OrtBackend } from '../backend/ort-backend';
import { splitInputs } from '../data/load-data';
import type { LoadedRun } from '../run/run-dir';

/** Windows scored per onnxruntime call. */
const BATCH = 256;

/** Scores of one period's windows, and per time step. */
export interface PeriodScores {
  /** Time steps [start, end) of the period. */
  readonly start: number;
  readonly end: number;
  /** First step of each window (absolute). */
  readonly starts: Int32Array;
  /** Per window: -ELBO and its KL (nats, standardised scale). */
  readonly negElbo: Float64Array;
  readonly kl: Float64Array;
  /** Per window and step, [windows, W]: -E_q log p(x_t | z) + KL / W (sums to the window's -ELBO). */
  readonly windowSteps: Float32Array;
  /** Per step of the period: the mean of `windowSteps` over the windows covering it. */
  readonly steps: Float64Array;
}

/**
 * Per-window and per-time-step scores of a period of a series run: core's `seriesStepScoreGraph`
 * (each window's -ELBO split by step, `particles` posterior samples) on onnxruntime-node, then
 * `@vae/datasets`' `stepScores` averages the windows that cover each step. Noise of batch b comes
 * from `fold(key, b)`.
 */
export async function periodScores(
  backend: OrtBackend,
  run: LoadedRun,
  period: SeriesPeriod,
  steps: number,
  key: PRNGKey,
  particles: number,
): Promise<PeriodScores> {
  const { vae, params } = run;
  const built = seriesStepScoreGraph(vae, particles);
  const session = await backend.compile(`series-steps:${particles}:${JSON.stringify(vae.spec)}`, () => built);
  const x = splitInputs(period.windows, run.config.data, 0).x!;
  const n = period.windows.count;
  const w = vae.spec.dataShape[1]!;
  const negElbo = new Float64Array(n);
  const kl = new Float64Array(n);
  const windowSteps = new Float32Array(n * w);
  for (let b = 0, from = 0; from < n; b++, from += BATCH) {
    const to = Math.min(n, from + BATCH);
    const feeds: Record<string, HostTensor> = {
      ...params,
      ...built.noise.feeds(fold(key, b), { N: to - from }),
      x: sliceRows(x, from, to),
    };
    const r = await session.run(feeds);
    negElbo.set(r.negElbo!.data as Float32Array, from);
    const stepKl = r.stepKl!.data as Float32Array;
    for (let i = 0; i < to - from; i++) kl[from + i] = stepKl[i]! * w;
    windowSteps.set(r.stepScore!.data as Float32Array, from * w);
  }
  const all = stepScores(period.starts, w, windowSteps, steps);
  return {
    start: period.start,
    end: period.end,
    starts: period.starts,
    negElbo,
    kl,
    windowSteps,
    steps: all.slice(period.start, period.end),
  };
}
