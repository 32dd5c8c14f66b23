import {
  amendManifest,
  createBundle,
  EVAL_SEED,
  elboPass,
  exportParity,
  fold,
  type HostTensor,
  key,
  latentMapMeta,
  mean,
  sliceRows,
  TEST_SCORE_EXAMPLES,
  testScoreSummary,
} from '@vae/core';
import { dataKey, Feeder } from '@vae/datasets/pure';
import { TrainerStateError } from '../errors';
import { feedSpecOf } from './model';
import type { TrainingSession } from './session';
import { bundleTabularColumns } from './tabular-data';

/** Test examples encoded for the latent map and scored for `test_elbo` (as `vae export`'s default). */
export const MAP_EXAMPLES = 2000;
/** Test examples of the parity check (as `vae export`'s default). */
export const PARITY_EXAMPLES = 256;
/** Largest max abs diff between exported graphs and the training graph that passes (DESIGN.md). */
export const PARITY_LIMIT = 1e-5;

/**
 * The run's bundle, the files `vae export` writes (float32): `createBundle` on the best weights
 * (the latest before an epoch has ended), `metrics.test_elbo` from `elboPass` on the test split, a
 * PCA latent map of the encoded test examples, and the parity of the exported encoder and decoder
 * against the training graph on this backend (refused beyond {@link PARITY_LIMIT}).
 * @throws TrainerStateError when nothing has been trained, or the parity check fails
 */
export async function exportBundle(s: TrainingSession): Promise<Record<string, Uint8Array>> {
  const params = s.sink.bestParams ?? s.params;
  if (!params) throw new TrainerStateError('nothing to export yet: train at least one step first');
  const { vae, backend } = s;
  const { recipe, data } = s.init;
  const spec = vae.spec;
  const L = spec.latent;
  const mapN = Math.min(MAP_EXAMPLES, data.test.count);
  // Test inputs as `vae export` feeds them: one fixed binarisation draw (EVAL_SEED).
  const feeder = new Feeder(data.test, { ...feedSpecOf(vae, data), key: dataKey(EVAL_SEED) });
  const inputs = feeder.all(0, mapN, dataKey(EVAL_SEED)) as Record<string, HostTensor>;
  const pass = await elboPass(backend, vae, params, inputs, fold(key(EVAL_SEED), 1));
  const labels = data.test.labels ? Array.from(data.test.labels.subarray(0, mapN)) : undefined;
  const last = s.lastEpoch;
  const bundle = await createBundle(vae, params, {
    recipe: { ...recipe, dataset: data.name, trainedIn: 'browser' },
    ...(data.image
      ? { image: { channels: data.image.c, height: data.image.h, width: data.image.w } }
      : { tabular: bundleTabularColumns(data.tabular!) }), // tables: rows in user units
    metrics: {
      test_elbo: -mean(pass.elbo),
      ...(last?.valElbo !== undefined ? { val_elbo: last.valElbo } : {}),
      ...(last ? { train_loss: last.trainLoss, epochs: last.epoch } : {}),
    },
    dtype: 'float32',
    binarized: !data.tabular,
    ...(data.classNames ? { labels: [...data.classNames] } : {}),
    latentMap: latentMapMeta(pass.loc, pass.n, L, labels),
  });
  // Parity: the exported files vs the training graph's forward, on real test inputs.
  const n = Math.min(PARITY_EXAMPLES, pass.n);
  const firstRows = (count: number) =>
    Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, sliceRows(t, 0, count)]));
  const rows = firstRows(n);
  const loc = { dtype: 'float32', shape: [n, L], data: pass.loc.subarray(0, n * L) } as HostTensor;
  const { encoder, decoder } = await exportParity(backend, vae, params, bundle, rows, loc);
  const worst = Math.max(encoder, decoder);
  if (!(worst <= PARITY_LIMIT))
    throw new TrainerStateError(
      `exported graphs disagree with the training graph: encoder ${encoder}, decoder ${decoder} (max abs diff; limit ${PARITY_LIMIT})`,
    );
  // Image bundles: the test set's scores on the playground's measure (as `vae export` ships them).
  const scoreN = data.image ? Math.min(TEST_SCORE_EXAMPLES, data.test.count) : 0;
  const testScores =
    scoreN > 0
      ? await testScoreSummary(
          backend,
          bundle,
          // The same draw of the same first examples: reuse the map's inputs when they cover them.
          scoreN <= mapN ? firstRows(scoreN) : feeder.all(0, scoreN, dataKey(EVAL_SEED)),
        )
      : undefined;
  const final = amendManifest(bundle, {
    parity: { maxAbsDiff: worst, n, backend: `onnxruntime-web (${backend.executionProvider})` },
    ...(testScores ? { testScores } : {}),
  });
  return final.files;
}
