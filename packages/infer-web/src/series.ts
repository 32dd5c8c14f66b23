/**
 * Windows in user units for series bundles: reconstructed and scored. Every number comes from the
 * bundle's graphs (encoder, decoder, data-mean, posterior-sample, score); the step between the
 * CSV's units and the standardised [C, W] features is `@vae/core/bundle`'s mapping.
 */
import {
  type BundleManifest,
  type BundleSeries,
  featuresFromWindows,
  SeriesWindowError,
  type SeriesWindowsInput,
  windowsFromFeatures,
} from '@vae/core/bundle';
import { fold, normal } from '@vae/random';
import type { Decoded, Encoded, KeyLike, WindowReconstruction, WindowScores } from './api';
import { InferError } from './errors';
import { toKey } from './model-base';

/** What the window methods need of a loaded model (the in-page model gives it). */
export interface SeriesRunner {
  readonly manifest: BundleManifest;
  readonly latent: number;
  encode(x: Float32Array): Promise<Encoded>;
  decode(z: Float32Array): Promise<Decoded>;
  toData(params: Float32Array): Promise<Float32Array>;
  run(
    role: 'posteriorSample' | 'score',
    feeds: Record<string, Float32Array>,
    dims: { N: number; K: number },
  ): Promise<Record<string, Float32Array>>;
}

/**
 * The series block of a series bundle.
 * @throws InferError `input` for a bundle of other data; `unsupported` for a series bundle exported
 *   before bundles said so (kind `vector`, no `data.series`)
 */
export function seriesOf(m: BundleManifest, method: string): BundleSeries {
  if (m.data.series) return m.data.series;
  if (m.data.kind === 'vector' && m.data.shape.length === 2)
    throw new InferError(
      'unsupported',
      `${method}: this bundle has no series block (data.series; it was exported before bundles carried one): re-export it with \`vae export --force\``,
      'data.series',
    );
  throw new InferError('input', `${method} needs a series bundle; this one models ${m.data.kind} data`);
}

/** Windows as standardised features; windows that do not fit are an InferError `input`. */
function features(series: BundleSeries, windows: SeriesWindowsInput) {
  try {
    return featuresFromWindows(series, windows);
  } catch (e) {
    if (e instanceof SeriesWindowError) throw new InferError('input', e.message, undefined, { cause: e });
    throw e;
  }
}

/**
 * Each window ([n, C, W] in the CSV's units, or [C][W] arrays) encoded to its posterior mean and
 * decoded to the likelihood mean, back in the CSV's units.
 */
export async function reconstructWindows(
  model: SeriesRunner,
  windows: SeriesWindowsInput,
): Promise<WindowReconstruction> {
  const series = seriesOf(model.manifest, 'reconstructWindows');
  const { n, x } = features(series, windows);
  const e = await model.encode(x);
  const mean = await model.toData((await model.decode(e.loc)).params);
  return { n, windows: windowsFromFeatures(series, mean), loc: e.loc, scale: e.scale };
}

/**
 * Each window's -ELBO, reconstruction NLL and KL in nats (standardised units, as `vae score` reports
 * them) by the bundle's score graph, with k posterior draws `normal(fold(key, 0), k * n * latent)`
 * laid out [k, n, latent], averaged over the draws; and `steps` [n, W]: the score graph's per-step
 * split of each window's -ELBO (-E_q log p(x_t | z) summed over columns, plus KL / W: core's
 * `seriesSteps`, as `vae score`), or for bundles exported without it the -ELBO spread evenly.
 */
export async function scoreWindows(
  model: SeriesRunner,
  windows: SeriesWindowsInput,
  key: KeyLike,
  k = 1,
): Promise<WindowScores> {
  const series = seriesOf(model.manifest, 'scoreWindows');
  if (!(Number.isInteger(k) && k >= 1))
    throw new InferError('input', `scoreWindows: k must be a positive integer, got ${k}`);
  const { n, x } = features(series, windows);
  const e = await model.encode(x);
  const eps = normal(fold(toKey(key), 0), k * n * model.latent);
  const q = { loc: e.loc, scale: e.scale, eps };
  const dims = { N: n, K: k };
  const { z } = await model.run('posteriorSample', q, dims);
  const { params } = await model.decode(z!);
  const out = await model.run('score', { ...q, x, params }, dims);
  const negElbo = Float64Array.from(out.elbo!, (v) => -v);
  // Every series bundle's score graph has `steps` (both came in the same format change).
  if (!out.steps) throw new InferError('unsupported', 'scoreWindows: this score graph has no steps output');
  return {
    n,
    negElbo,
    recon: Float64Array.from(out.recon!, (v) => -v),
    kl: Float64Array.from(out.kl!),
    steps: Float64Array.from(out.steps),
  };
}
