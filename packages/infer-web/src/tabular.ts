/**
 * Rows in user units for tabular bundles: sampled, reconstructed, imputed. Every number comes from
 * the bundle's graphs (prior draw, decoder, data-mean / data-sample, posterior-sample, score); the
 * step between features and user units is `@vae/core/bundle`'s mapping, the one the `vae` CLI uses
 * (`vae sample --csv`, `vae impute`), so the same seed gives the same rows in both.
 */
import {
  type BundleManifest,
  type BundleTabularColumn,
  featuresFromRows,
  importanceWeightedMean,
  rowsFromFeatures,
  type TabularRow,
  TabularRowError,
  type TabularRowInput,
} from '@vae/core/bundle';
import { fold, normal } from '@vae/random';
import type { Decoded, Encoded, ImputeOptions, KeyLike, TabularSampleOptions } from './api';
import { InferError } from './errors';
import { toKey } from './model-base';

/** What the row methods need of a loaded model (the in-page model gives it). */
export interface TabularRunner {
  readonly manifest: BundleManifest;
  readonly latent: number;
  sample(n: number, key: KeyLike, opts?: { temperature?: number }): Promise<Decoded>;
  decode(z: Float32Array): Promise<Decoded>;
  encode(x: Float32Array, c: undefined, mask: Float32Array): Promise<Encoded>;
  toData(params: Float32Array, opts?: { mode?: 'mean' | 'sample'; key?: KeyLike }): Promise<Float32Array>;
  run(
    role: 'posteriorSample' | 'score',
    feeds: Record<string, Float32Array>,
    dims: { N: number; K: number },
  ): Promise<Record<string, Float32Array>>;
}

/** Rows per imputation batch, and the batch's key: as `vae impute` does (fold(key, batch)). */
const BATCH = 256;

/**
 * The column schema of a tabular bundle.
 * @throws InferError `input` for a bundle that is not tabular; `unsupported` for a tabular bundle
 *   exported without its column schema, or a conditional one
 */
export function tabularColumns(m: BundleManifest, method: string): BundleTabularColumn[] {
  if (m.likelihood.type !== 'tabular')
    throw new InferError(
      'input',
      `${method} needs a tabular bundle; this one models ${m.data.kind} data (use sample, decode, toImageData)`,
    );
  if (!m.data.tabular)
    throw new InferError(
      'unsupported',
      `${method}: this tabular bundle has no column schema (data.tabular; it was exported before bundles carried one): re-export it with \`vae export --force\``,
      'data.tabular',
    );
  if (m.condition) throw new InferError('unsupported', `${method} does not take conditional models`);
  return m.data.tabular.columns;
}

/** Rows as features and mask; a row that does not fit is an InferError `input` naming row and column. */
function encodeRows(columns: readonly BundleTabularColumn[], rows: readonly TabularRowInput[]) {
  try {
    return featuresFromRows(columns, rows);
  } catch (e) {
    if (e instanceof TabularRowError) throw new InferError('input', e.message, undefined, { cause: e });
    throw e;
  }
}

/**
 * n rows drawn from the model: z from the prior as `sample(n, key)` draws it (from `fold(key, 0)`),
 * then one draw of p(x|z) by the data-sample graph with `fold(key, 1)`; `vae sample --csv --seed S`
 * draws the same.
 */
export async function sampleRows(
  model: TabularRunner,
  n: number,
  key: KeyLike,
  opts: TabularSampleOptions = {},
): Promise<TabularRow[]> {
  const columns = tabularColumns(model.manifest, 'sampleRows');
  const k = toKey(key);
  const drawn = await model.sample(n, k, opts);
  return rowsFromFeatures(columns, await model.toData(drawn.params, { mode: 'sample', key: fold(k, 1) }));
}

/** Each row encoded to its posterior mean (missing cells masked) and decoded to the likelihood mean. */
export async function reconstructRows(
  model: TabularRunner,
  rows: readonly TabularRowInput[],
): Promise<TabularRow[]> {
  const columns = tabularColumns(model.manifest, 'reconstructRows');
  const { x, mask } = encodeRows(columns, rows);
  const e = await model.encode(x, undefined, mask);
  return rowsFromFeatures(columns, await model.toData((await model.decode(e.loc)).params));
}

/** E[x | x_obs] in features for one batch: `samples` weighted posterior draws, or the posterior mean. */
async function expectedFeatures(
  model: TabularRunner,
  x: Float32Array,
  mask: Float32Array,
  n: number,
  samples: number,
  key: ReturnType<typeof toKey>,
): Promise<Float32Array> {
  const e = await model.encode(x, undefined, mask);
  if (samples === 0) return model.toData((await model.decode(e.loc)).params);
  const dims = { N: n, K: samples };
  const q = { loc: e.loc, scale: e.scale, eps: normal(fold(key, 0), samples * n * model.latent) };
  const { z } = await model.run('posteriorSample', q, dims);
  const { params } = await model.decode(z!);
  const { logw } = await model.run('score', { ...q, x, mask, params }, dims);
  const width = x.length / n;
  return importanceWeightedMean(logw!, await model.toData(params), samples, n, width);
}

/**
 * The rows with their missing cells filled by E[x_mis | x_obs] (as `vae impute`): `samples` draws
 * z ~ q(z|x_obs) weighted by p(x_obs|z) p(z) / q(z|x_obs) from the score graph's log-weights, or the
 * posterior mean's decoding for `samples` 0. Observed cells are returned as given.
 */
export async function imputeRows(
  model: TabularRunner,
  rows: readonly TabularRowInput[],
  opts: ImputeOptions = {},
): Promise<TabularRow[]> {
  const columns = tabularColumns(model.manifest, 'imputeRows');
  const samples = opts.samples ?? 100;
  if (!(Number.isInteger(samples) && samples >= 0))
    throw new InferError('input', `imputeRows: samples must be a non-negative integer, got ${samples}`);
  const k = toKey(opts.key ?? 1);
  const { n, x, mask } = encodeRows(columns, rows);
  const width = x.length / n;
  const C = columns.length;
  const expected = new Float32Array(x.length);
  for (let b = 0, from = 0; from < n; b++, from += BATCH) {
    const to = Math.min(n, from + BATCH);
    const xb = x.subarray(from * width, to * width);
    const mb = mask.subarray(from * C, to * C);
    expected.set(await expectedFeatures(model, xb, mb, to - from, samples, fold(k, b)), from * width);
  }
  const filled = rowsFromFeatures(columns, expected);
  const given = rowsFromFeatures(columns, x); // observed categories by their canonical names
  return filled.map((row, i) => {
    const out: TabularRow = {};
    columns.forEach((c, j) => {
      const v = rows[i]![c.name];
      if (mask[i * C + j] === 0) out[c.name] = row[c.name]!;
      else out[c.name] = typeof v === 'number' && c.type === 'continuous' ? v : given[i]![c.name]!;
    });
    return out;
  });
}
