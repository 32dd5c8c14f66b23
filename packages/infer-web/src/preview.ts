/**
 * A model's first picture without onnxruntime: prior samples decoded by @vae/core's reference
 * interpreter (plain JS on Float32Array) from the bundle's own exported graphs, the decoder then the
 * data-space mean. onnxruntime-web needs its 14 MB wasm fetched and compiled before it decodes
 * anything; the interpreter needs only two small graphs, so a page can paint real samples while
 * the runtime loads, then hand over to {@link loadModel}. The samples are `sample(n, key, opts)`
 * then `toData(params)` of the loaded model, to float rounding.
 */
import { type BundleManifest, parseManifestText } from '@vae/core/bundle';
import { fromOnnx, interpret } from '@vae/core/onnx';
import { fold } from '@vae/random';
import type { KeyLike, SampleOptions } from './api';
import { draw } from './draws';
import { InferError, toInferError } from './errors';
import { toCondition } from './inputs';
import { toKey } from './model-base';
import { bundleBaseUrl, type LoadedBundle, readBundleFiles } from './source';

/** Prior samples as {@link previewSamples} computes them. */
export interface PreviewSamples {
  readonly n: number;
  /** z [n, latent]. */
  readonly z: Float32Array;
  /** The decoder's output [n, ...paramShape]. */
  readonly params: Float32Array;
  /** Data-space means [n, ...dataShape]. */
  readonly values: Float32Array;
}

/**
 * Whether a bundle has a preview: images with a standard-normal prior (a mixture draws z with its
 * own graph), a data-mean graph, and float weights (an int8 decoder quantises its activations on
 * onnxruntime-web, which float32 arithmetic would not reproduce).
 */
export function hasPreview(m: BundleManifest): boolean {
  return (
    m.data.kind === 'image' && !m.graphs.priorSample && m.graphs.dataMean !== undefined && m.dtype !== 'int8'
  );
}

/**
 * Reads only what a preview needs from a bundle URL: manifest.json (schema-checked), the decoder and
 * the data-mean graph (each checked against its SHA-256). Null when there is no bundle there (no
 * manifest, or a dev server's HTML page in its place) or it has no preview ({@link hasPreview}).
 * @throws InferError when the manifest or a file is malformed or fails its hash
 */
export async function readPreview(
  url: string | URL,
  fetcher: typeof fetch = globalThis.fetch,
): Promise<LoadedBundle | null> {
  const base = bundleBaseUrl(url);
  const head = await fetcher(new URL('manifest.json', base));
  if (!head.ok || /text\/html/.test(head.headers.get('content-type') ?? '')) return null;
  let manifest: BundleManifest;
  try {
    manifest = parseManifestText(new Uint8Array(await head.arrayBuffer()));
  } catch (e) {
    // As readBundle reports it: a BundleError keeps its reason (a newer manifest is `version`).
    throw toInferError(e, 'malformed');
  }
  if (!hasPreview(manifest)) return null;
  return readBundleFiles(base, manifest, [manifest.decoder.file, manifest.graphs.dataMean!.file], fetcher);
}

type Feeds = Record<string, { shape: number[]; data: Float32Array }>;

/** Runs one of the bundle's ONNX files on the interpreter; outputs by name. */
function runGraph(bytes: Uint8Array, feeds: Feeds): Record<string, Float32Array> {
  const m = fromOnnx(bytes);
  const names = Object.keys(m.outputs);
  const host = Object.fromEntries(
    Object.entries(feeds).map(([k, v]) => [k, { dtype: 'float32' as const, ...v }]),
  );
  const outs = interpret(
    m.graph,
    names.map((n) => m.outputs[n]!),
    host,
  );
  return Object.fromEntries(names.map((n, i) => [n, outs[i]!.data as Float32Array]));
}

/**
 * n prior samples of a bundle that {@link hasPreview}, with the model's own draws: z from
 * `fold(key, 0)` times the temperature, the condition `opts.c` one-hot as `sample` takes it.
 * @throws InferError for a bundle without a preview or bad options
 */
export function previewSamples(
  { manifest: m, files }: LoadedBundle,
  n: number,
  key: KeyLike,
  opts: SampleOptions = {},
): PreviewSamples {
  if (!hasPreview(m)) throw new InferError('input', 'this bundle has no preview (see hasPreview)');
  if (!(Number.isInteger(n) && n >= 1))
    throw new InferError('input', `previewSamples: n must be a positive integer, got ${n}`);
  const t = opts.temperature ?? 1;
  if (!(t >= 0 && Number.isFinite(t)))
    throw new InferError('input', `previewSamples: temperature must be >= 0, got ${t}`);
  const z = draw('normal', fold(toKey(key), 0), n * m.latent, t);
  const feeds: Feeds = { z: { shape: [n, m.latent], data: z } };
  const c = toCondition(opts.c, n, m.condition?.size);
  if (c) feeds.c = { shape: [n, m.condition!.size], data: c };
  const params = runGraph(files[m.decoder.file]!, feeds).params!;
  const out = m.decoder.outputs.find((o) => o.name === 'params')!;
  const shape = [n, ...out.shape.slice(1).map((d) => (typeof d === 'number' ? d : 1))];
  const mean = runGraph(files[m.graphs.dataMean!.file]!, { params: { shape, data: params } }).mean!;
  return { n, z, params, values: mean };
}
