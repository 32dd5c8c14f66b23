/**
 * What every exporter (train-node's `vae export`, the browser's trainer) does around createBundle:
 * the latent map of the encoded test examples, and the parity of the exported encoder and decoder
 * with the training graph on the exporter's backend.
 */
import type { Backend, CompiledGraph } from '../backend/backend';
import type { HostTensor } from '../ir/dtype';
import type { VAE } from '../models/vae';
import type { Bundle, BundleMeta } from './create';
import { pca2 } from './pca';

/** Largest |a - b| over two float32 tensors of one size (Infinity when their sizes differ). */
export function maxAbsDiff(a: HostTensor, b: HostTensor): number {
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/**
 * A bundle's latent map: the posterior means `loc` (n x latent) as they are when the latent is 2-D,
 * else their first two principal components with the basis that maps a map point back to z.
 */
export function latentMapMeta(
  loc: Float32Array,
  n: number,
  latent: number,
  labels?: readonly number[],
): NonNullable<BundleMeta['latentMap']> {
  const pca = latent === 2 ? null : pca2(loc, n, latent);
  return {
    points: pca ? pca.projected : loc.subarray(0, n * latent),
    ...(labels ? { labels } : {}),
    method: pca ? 'pca' : 'identity',
    ...(pca ? { basis: { mean: pca.mean, axes: pca.axes } } : {}),
  };
}

/** Max abs differences of the exported graphs from the training graph's forward, on `n` examples. */
export interface ExportParity {
  readonly encoder: number;
  readonly decoder: number;
  readonly n: number;
}

/** {@link exportParity}'s figures, with what it ran for callers that measure more on the same rows. */
export interface ExportParityRun extends ExportParity {
  /** The exported encoder's outputs (loc, scale) on the rows. */
  readonly encoded: Record<string, HostTensor>;
  /** The exported decoder's outputs at the encoded means. */
  readonly decoded: Record<string, HostTensor>;
  /** The training decoder role graph (parameters as inputs). */
  readonly trainDecoder: CompiledGraph;
}

/**
 * Runs the bundle's encoder.onnx on `rows` against the training graph's posterior means `loc`, and
 * its decoder.onnx against the model's decoder role graph (parameters as inputs, as in training) at
 * the encoder's means. `decoderFeeds` adds what a decoder also takes (e.g. a text decoder's inputs);
 * `output` names the decoder output compared (default `params`).
 */
export async function exportParity(
  backend: Backend,
  vae: VAE,
  params: Readonly<Record<string, HostTensor>>,
  bundle: Bundle,
  rows: Readonly<Record<string, HostTensor>>,
  loc: HostTensor,
  o: { decoderFeeds?: Readonly<Record<string, HostTensor>>; output?: string } = {},
): Promise<ExportParityRun> {
  const enc = await backend.load(bundle.files['encoder.onnx']!, 'encoder.onnx');
  const dec = await backend.load(bundle.files['decoder.onnx']!, 'decoder.onnx');
  const encoded = await enc.run(rows);
  const zc: Record<string, HostTensor> = {
    z: encoded.loc!,
    ...(rows.c ? { c: rows.c } : {}),
    ...o.decoderFeeds,
  };
  const trainDecoder = await backend.compile(`decoder:${JSON.stringify(vae.spec)}`, () =>
    vae.roleGraph('decoder'),
  );
  const want = await trainDecoder.run({ ...params, ...zc });
  const got = await dec.run(zc);
  const out = o.output ?? 'params';
  return {
    encoder: maxAbsDiff(encoded.loc!, loc),
    decoder: maxAbsDiff(got[out]!, want[out]!),
    n: loc.shape[0]!,
    encoded,
    decoded: got,
    trainDecoder,
  };
}
