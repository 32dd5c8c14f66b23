import {
  EVAL_SEED,
  elboPass,
  fold,
  importanceSampledLogLikelihood,
  key,
  TextVAE,
  TrainConfigError,
} from '@vae/core';
import type { Device } from '../backend/device';
import { OrtBackend, requireDevice } from '../backend/ort-backend';
import { loadRunData, splitInputs } from '../data/load-data';
import { loadRun } from '../run/run-dir';
import { type SeriesEvalFields, seriesEvalFields } from '../series/series-eval';
import { type TextEvalFields, textEvalFields } from '../text/text-eval';
import { dataConvention } from './bits-per-dim';
import { type EvalReport, report } from './evaluate';

export interface EvalCommandOptions {
  readonly run: string;
  /** Importance samples for the NLL estimate (0 skips it). Default 1000. */
  readonly iw?: number;
  readonly split?: 'test' | 'val' | 'train';
  /** Evaluate the first `limit` examples of the split only. */
  readonly limit?: number;
  readonly threads?: number;
  /** onnxruntime-node's execution provider (default cpu); checked before the run is read. */
  readonly device?: Device;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * `vae eval`: test ELBO, importance-sampled NLL (k = `iw`, chunked), reconstruction term, KL, KL per
 * dimension and active units of a run's best weights, per example in nats.
 */
export async function evalCommand(
  o: EvalCommandOptions,
): Promise<EvalReport & { split: string; series?: SeriesEvalFields; text?: TextEvalFields }> {
  const iw = o.iw ?? 1000;
  if (!Number.isInteger(iw) || iw < 0)
    throw new TrainConfigError(`--iw must be a non-negative integer, got ${iw}`);
  if (o.limit !== undefined && (!Number.isInteger(o.limit) || o.limit < 1))
    throw new TrainConfigError(`--limit must be a positive integer, got ${o.limit}`);
  const split = o.split ?? 'test';
  if (!['test', 'val', 'train'].includes(split))
    throw new TrainConfigError(`--split must be test, val or train, got ${split}`);
  await requireDevice(o.device);
  const run = loadRun(o.run);
  const data = await loadRunData(run.config);
  if (data[split].count === 0)
    throw new TrainConfigError(
      split === 'val'
        ? `${o.run} has no validation data (it was trained with --val 0): use --split test, or train a run with --val N`
        : `${o.run} has no ${split} examples to evaluate`,
    );
  const inputs = splitInputs(data[split], run.config.data, run.vae.spec.condition?.size ?? 0, o.limit);
  const backend = new OrtBackend({ threads: o.threads, device: o.device });
  try {
    const pass = await elboPass(backend, run.vae, run.params, inputs, fold(key(EVAL_SEED), 1));
    const logpx =
      iw > 0
        ? await importanceSampledLogLikelihood(
            backend,
            run.vae,
            run.params,
            inputs,
            fold(key(EVAL_SEED), 2),
            {
              k: iw,
              onChunk: o.onProgress,
              // A text decoder folds the k samples into a static batch (a symbolic one unrolls per sample).
              staticBatch: run.vae instanceof TextVAE,
            },
          )
        : null;
    const conv = dataConvention(run.vae.spec.likelihood.type, run.config.data);
    const r = report(pass, run.vae.spec.latent, logpx, iw, conv);
    return { ...r, split, ...seriesEvalFields(run.config, r), ...textEvalFields(run.config, r, inputs.x!) };
  } finally {
    await backend.dispose();
  }
}
