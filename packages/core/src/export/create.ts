/**
 * createBundle: a trained VAE -> encoder.onnx, decoder.onnx, the probability graphs and
 * manifest.json (pure; no Node built-ins).
 */

import { BundleError } from '../bundle/errors';
import { fileEntry } from '../bundle/hash';
import { encodeLatentMap } from '../bundle/latent-map';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  type BundleDtype,
  type BundleGraphInfo,
  type BundleManifest,
  type BundleParity,
  type BundleTestScores,
} from '../bundle/manifest';
import { parseManifest } from '../bundle/parse-manifest';
import type { HostTensor } from '../ir/dtype';
import { formatShape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { VAE } from '../models/vae';
import { lowerToModel, OPSET } from '../onnx/lower';
import { encodeModel } from '../onnx/onnx-proto';
import { type DataOptions, describeData, describeLikelihood, describePrior } from './describe';
import { assertExactIntegerMatmuls } from './int8-guard';
import { float16Weights, int8Weights, pruneInitializers } from './onnx-export';
import { exportProbabilityGraphs } from './probability-export';

/** File names createBundle writes. */
export const BUNDLE_FILES = {
  encoder: 'encoder.onnx',
  decoder: 'decoder.onnx',
  manifest: 'manifest.json',
  latentMap: 'latent-map.bin',
} as const;

/** What createBundle records besides the model itself. Every field is optional. */
export interface BundleMeta extends DataOptions {
  /** The training recipe (JSON-serialisable). */
  recipe?: Record<string, unknown>;
  /** Final metrics (finite numbers), e.g. `{ testNll: 84.2 }` in nats. */
  metrics?: Record<string, number>;
  /**
   * Weight storage. `float16` halves the files (compute stays float32). `int8` stores MatMul weights
   * as 8-bit symmetric levels in [-127, 127] with one float32 scale per output column (about a
   * quarter of the bytes; stored as uint8 with zero point 128) and runs those layers as dynamically
   * quantised integer matmuls (DynamicQuantizeLinear -> MatMulInteger, uint8 x uint8: exact int32
   * on every CPU and on onnxruntime-web); biases and Conv kernels stay float32. Default float32.
   */
  dtype?: BundleDtype;
  /** A 2-D map of encoded examples: `points` holds n x 2 values, `labels` n class indices. */
  latentMap?: {
    points: Float32Array;
    labels?: Int32Array | readonly number[];
    method: 'identity' | 'pca';
    /** The PCA projection (mean and two axes, each `latent` long) so map points map back to z. */
    basis?: { mean: readonly number[]; axes: readonly [readonly number[], readonly number[]] };
  };
  /** Parity measured by the caller (e.g. exported graphs on onnxruntime-node vs the training graph). */
  parity?: BundleParity;
  /** ISO-8601 export time; default now. */
  createdAt?: string;
}

/** A bundle in memory: the manifest and every file of the folder, manifest.json included. */
export interface Bundle {
  manifest: BundleManifest;
  files: Record<string, Uint8Array>;
}

function checkParams(vae: VAE, params: Readonly<Record<string, HostTensor>>): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const [name, shape] of Object.entries(vae.paramShapes())) {
    const t = params[name];
    if (!t) throw new BundleError('shape', `createBundle: parameter ${name} is missing`, name);
    if (t.dtype !== 'float32' || t.shape.join() !== shape.join())
      throw new BundleError(
        'shape',
        `createBundle: parameter ${name} must be float32 ${formatShape(shape)}, got ${t.dtype} ${formatShape(t.shape)}`,
        name,
      );
    out[name] = t;
  }
  return out;
}

function exportRole(
  vae: VAE,
  role: 'encoder' | 'decoder',
  params: Record<string, HostTensor>,
  dtype: BundleDtype,
): { bytes: Uint8Array; info: BundleGraphInfo } {
  const { graph, outputs } = vae.roleGraph(role);
  let model = pruneInitializers(
    lowerToModel(graph, {
      outputs,
      bind: params,
      name: role,
      metadata: { format: BUNDLE_FORMAT, role },
    }),
  );
  if (dtype === 'float16') model = float16Weights(model, new Set(Object.keys(params)));
  if (dtype === 'int8') {
    model = int8Weights(model, new Set(Object.keys(params)));
    assertExactIntegerMatmuls(model);
  }
  // A text decoder (the decoding graph) takes uniform noise u; see BundleText.
  const noise: Record<string, 'uniform'> =
    role === 'decoder' && vae.spec.likelihood.type === 'sequence-categorical' ? { u: 'uniform' } : {};
  const info = (name: string, t: Tensor) => ({
    name,
    shape: [...t.shape],
    ...(noise[name] ? { noise: noise[name] } : {}),
  });
  return {
    bytes: encodeModel(model),
    info: {
      file: BUNDLE_FILES[role],
      inputs: graph.inputs.filter((t) => !Object.hasOwn(params, t.name)).map((t) => info(t.name, t)),
      outputs: Object.entries(outputs).map(([n, t]) => info(n, t)),
    },
  };
}

/**
 * Exports a trained VAE as a bundle: `encoder.onnx` (x [N, ...data] (+ c, + mask) -> loc, scale),
 * `decoder.onnx` (z [N, latent] (+ c) -> params), an optional latent map, and a manifest that
 * records the prior (mixtures as arrays), the likelihood, data, condition, file hashes and `meta`.
 * A text VAE's `decoder.onnx` is its decoding graph (z, uniform noise u, temperature -> ids) and it
 * ships no probability graphs but a mixture prior's sampler; `meta.text` gives its vocabulary.
 * Pure: runs in Node and browsers (SHA-256 through Web Crypto). The manifest is validated with
 * {@link parseManifest} before it is returned.
 * @throws BundleError for missing or mis-shaped parameters or metadata that does not fit the model,
 * or (`unsupported`) an int8 export with an integer matmul that would not be exact on every CPU.
 */
export async function createBundle(
  vae: VAE,
  params: Readonly<Record<string, HostTensor>>,
  meta: BundleMeta = {},
): Promise<Bundle> {
  const spec = vae.spec;
  const p = checkParams(vae, params);
  const dtype = meta.dtype ?? 'float32';
  const enc = exportRole(vae, 'encoder', p, dtype);
  const dec = exportRole(vae, 'decoder', p, dtype);
  // Text: the decoder emits ids, so no probability graph reads its output (a mixture's prior-sample
  // graph still ships).
  const text = spec.likelihood.type === 'sequence-categorical';
  const prob = exportProbabilityGraphs(vae, p, { format: BUNDLE_FORMAT }, text ? ['priorSample'] : undefined);
  const files: Record<string, Uint8Array> = {
    [BUNDLE_FILES.encoder]: enc.bytes,
    [BUNDLE_FILES.decoder]: dec.bytes,
    ...prob.files,
  };
  let latentMap: BundleManifest['latentMap'];
  if (meta.latentMap) {
    const { points, labels, method, basis } = meta.latentMap;
    files[BUNDLE_FILES.latentMap] = encodeLatentMap(points, labels);
    latentMap = {
      file: BUNDLE_FILES.latentMap,
      n: points.length / 2,
      dims: 2,
      method,
      labels: !!labels,
      ...(basis ? { basis: { mean: [...basis.mean], axes: [[...basis.axes[0]], [...basis.axes[1]]] } } : {}),
    };
  }
  const entries: BundleManifest['files'] = {};
  for (const [name, bytes] of Object.entries(files)) entries[name] = await fileEntry(bytes);
  const condLabels =
    spec.condition?.labels ?? (meta.labels?.length === spec.condition?.size ? meta.labels : undefined);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    createdAt: meta.createdAt ?? new Date().toISOString(),
    latent: spec.latent,
    prior: describePrior(vae, p),
    likelihood: describeLikelihood(spec.likelihood, p),
    data: describeData(spec, meta),
    ...(spec.condition
      ? { condition: { size: spec.condition.size, ...(condLabels ? { labels: [...condLabels] } : {}) } }
      : {}),
    encoder: enc.info,
    decoder: dec.info,
    graphs: prob.graphs,
    files: entries,
    opset: OPSET,
    dtype,
    recipe: meta.recipe ?? {},
    metrics: meta.metrics ?? {},
    ...(meta.parity ? { parity: meta.parity } : {}),
    ...(latentMap ? { latentMap } : {}),
    spec: JSON.parse(JSON.stringify(spec)) as Record<string, unknown>,
  };
  return withManifest(manifest, files);
}

/** Writes manifest.json into `files`, validated as a reader will see it (or a BundleError now). */
function withManifest(manifest: BundleManifest, files: Record<string, Uint8Array>): Bundle {
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  const checked = parseManifest(JSON.parse(text));
  return { manifest: checked, files: { ...files, [BUNDLE_FILES.manifest]: new TextEncoder().encode(text) } };
}

/**
 * The bundle with parity, extra metrics and the test-score summary recorded in its manifest, for
 * figures measured on the exported files themselves (so they cannot be passed to createBundle). The
 * graphs are untouched.
 */
export function amendManifest(
  bundle: Bundle,
  patch: { parity?: BundleParity; metrics?: Record<string, number>; testScores?: BundleTestScores },
): Bundle {
  const manifest: BundleManifest = {
    ...bundle.manifest,
    metrics: { ...bundle.manifest.metrics, ...patch.metrics },
    ...(patch.parity ? { parity: patch.parity } : {}),
    ...(patch.testScores ? { testScores: patch.testScores } : {}),
  };
  return withManifest(manifest, bundle.files);
}
