/**
 * The manifest of an exported model bundle: a folder with `encoder.onnx`, `decoder.onnx`,
 * `manifest.json` and optional extra files (a latent map). It says what the graphs compute and how to
 * read their outputs, so a browser can sample, decode and score without the training code.
 */
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from './manifest-schema';

export type {
  BundleData,
  BundleDataScaling,
  BundleImage,
  BundleSeries,
  BundleTabular,
  BundleTabularColumn,
  BundleText,
} from './manifest-data';
export { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION };

import type { BundleData } from './manifest-data';

/** The reserved ids of a text bundle's vocabulary, as `@vae/datasets` and core's TextVAE use them. */
export const TEXT_RESERVED = Object.freeze({ pad: 0, bos: 1, eos: 2, unk: 3 });

/**
 * One column of a tabular row, in the order the encoded features appear. Part of the contract: a
 * tabular model's spec (`models/spec.ts`) uses this same type.
 */
export type TabularColumn =
  | { readonly name: string; readonly type: 'continuous' }
  | { readonly name: string; readonly type: 'binary' }
  | { readonly name: string; readonly type: 'categorical'; readonly categories: number };

/**
 * One graph input or output: its ONNX name and shape (`'N'` is the symbolic batch dim, `'K'` the
 * importance samples of the score graphs); always float32.
 */
export interface BundleTensorInfo {
  name: string;
  shape: (number | string)[];
  /**
   * Set on noise inputs: standard-normal or uniform [0, 1) draws the caller makes. A reader fills
   * the i-th noise input of a graph (in `inputs` order) from `fold(key, i)`.
   */
  noise?: 'normal' | 'uniform';
}

/** One ONNX graph of the bundle and its interface. */
export interface BundleGraphInfo {
  /** File name inside the bundle (listed in `files`). */
  file: string;
  inputs: BundleTensorInfo[];
  outputs: BundleTensorInfo[];
}

/**
 * The probability graphs of a bundle, lowered from the same core code that trains (format 2), so a
 * reader needs no likelihood, prior or bound of its own:
 * - `dataMean`: params [N, ...] -> `mean` [N, ...data.shape], the likelihood's mean in data space;
 * - `dataSample`: params + noise inputs -> `sample` [N, ...data.shape], one draw of p(x|z);
 * - `posteriorSample`: loc, scale [N, latent] + eps [K, N, latent] -> `z` [K, N, latent];
 * - `score`: x (+ mask), loc, scale, eps, params [K, N, ...] (the decoder at `z`) -> `iwae`, `elbo`,
 *   `recon`, `kl` [N] and `logw` [K, N] (log importance weights, for bounds over several runs);
 * - `priorSample` (mixture priors only): noise inputs -> `z` [N, latent]. A standard-normal prior's
 *   draw is its noise.
 */
export interface BundleGraphs {
  /** Required except for text bundles (their decoder emits ids, not likelihood parameters). */
  dataMean?: BundleGraphInfo;
  /** Required except for text bundles. */
  dataSample?: BundleGraphInfo;
  /** Required except for text bundles. */
  posteriorSample?: BundleGraphInfo;
  /** Required except for text bundles (no teacher-forced score graph ships with them yet). */
  score?: BundleGraphInfo;
  priorSample?: BundleGraphInfo;
}

/**
 * p(z), in a form a browser can sample without the encoder. A VampPrior is stored as the mixture of
 * its pseudo-inputs' posteriors, encoded at export time (uniform weights).
 */
export type BundlePrior =
  | { type: 'standard-normal' }
  | {
      type: 'mog' | 'vamp';
      components: number;
      /** Mixture weights (they sum to 1), [components]. */
      weights: number[];
      /** Component means, [components][latent]. */
      means: number[][];
      /** Component standard deviations, [components][latent]. */
      scales: number[][];
    };

/**
 * p(x|z) and what the decoder output `params` holds, per example:
 * - `bernoulli` / `continuous-bernoulli`: logits shaped like the data (sigmoid gives probabilities);
 * - `gaussian`: the mean; `logScale` is log sigma, one scalar or one value per feature;
 * - `discretized-logistic`: loc then log-scale stacked on the channel axis, on `bins` levels in [0, 1];
 * - `tabular`: per column [mean, raw scale] (continuous; scale = softplus(raw) + minScale),
 *   K logits (categorical) or 1 logit (binary);
 * - `sequence-categorical` (text): the decoder is the free-running decoding graph, z, noise u and
 *   temperature -> `ids` [N, L] (float32 token ids, see {@link BundleText}); it has no `params`.
 */
export type BundleLikelihood =
  | { type: 'bernoulli'; output: 'logits' }
  | { type: 'continuous-bernoulli'; output: 'logits' }
  | { type: 'gaussian'; output: 'mean'; logScale: number | number[] }
  | { type: 'discretized-logistic'; output: 'loc-logscale'; bins: number }
  | { type: 'tabular'; output: 'column-params'; columns: TabularColumn[]; minScale: number }
  | { type: 'sequence-categorical'; output: 'ids'; vocab: number };

/** The condition c of a conditional model (one-hot over `labels` when they are given). */
export interface BundleCondition {
  size: number;
  labels?: string[];
}

/** Size and SHA-256 (lowercase hex) of one file of the bundle. */
export interface BundleFileEntry {
  sha256: string;
  bytes: number;
}

/** How far the exported graphs are from the training graph, measured at export. */
export interface BundleParity {
  maxAbsDiff: number;
  /** Examples compared. */
  n: number;
  /** Where the export was run, e.g. `onnxruntime-node`. */
  backend: string;
}

/**
 * A 2-D map of encoded examples for the playground. The file holds `n * 2` float32 (x, y pairs),
 * then `n` int32 labels when `labels` is true, little-endian.
 */
export interface BundleLatentMap {
  file: string;
  n: number;
  dims: 2;
  /** `identity` for a 2-D latent, `pca` for the first two principal components of the posterior means. */
  method: 'identity' | 'pca';
  labels: boolean;
  /**
   * For `pca`: the projection, so a map point (x, y) maps back to z = mean + x axes[0] + y axes[1]
   * (the closest latent point in the plane of the first two components).
   */
  basis?: { mean: number[]; axes: [number[], number[]] };
}

/**
 * The test set's per-example scores on the measure a reader scores one example with, summarised so
 * a page can place an example's score among them (a histogram and a percentile). The scores are
 * −log p(x) in nats by the bundle's own graphs, as `score(x, k, seed)` of @vae/infer-web computes
 * them for one example: `k` importance samples, the noise drawn from the key `seed` for a batch of
 * one (so every example, and the reader's own, gets the same noise: one deterministic function of x).
 * Conditional bundles are scored with each example's true label. Written by `vae export` for image
 * bundles; absent in bundles exported before it existed.
 */
export interface BundleTestScores {
  /** `iwae`: −log p(x) by importance sampling, the score graph's `iwae` output negated. */
  measure: 'iwae';
  /** Importance samples per example. */
  k: number;
  /** The seed of the noise key (infer-web's `score(x, k, seed)`). */
  seed: number;
  /** Examples scored: the first `n` of the `split`. */
  n: number;
  split: 'test';
  /**
   * 101 values, nats: the p-th percentile of the scores for p = 0, 1, ..., 100 (linear interpolation
   * between order statistics, R's type 7); `[0]` is the lowest score and `[100]` the highest.
   */
  quantiles: number[];
  /** Equal-width bins over [lowest, highest]: `edges` (bins + 1, increasing) and `counts` (sum n). */
  histogram: { edges: number[]; counts: number[] };
}

/** Weight storage types of a bundle. */
export type BundleDtype = 'float32' | 'float16' | 'int8';

/** manifest.json of a bundle, as validated by `parseManifest` (./parse-manifest.ts). */
export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: typeof BUNDLE_FORMAT_VERSION;
  /** ISO-8601 time of export. */
  createdAt: string;
  latent: number;
  prior: BundlePrior;
  likelihood: BundleLikelihood;
  data: BundleData;
  condition?: BundleCondition;
  /** x [N, ...data.shape] (+ c [N, size], + mask [N, columns] for tabular) -> loc, scale [N, latent]. */
  encoder: BundleGraphInfo;
  /** z [N, latent] (+ c) -> params [N, ...] (see `likelihood`); text: z, u, temperature -> ids. */
  decoder: BundleGraphInfo;
  /** The probability graphs (see {@link BundleGraphs}; text bundles may omit all but priorSample). */
  graphs: BundleGraphs;
  /** Every file of the bundle except manifest.json, by name. */
  files: Record<string, BundleFileEntry>;
  /** ONNX opset of both graphs. */
  opset: number;
  /**
   * Storage type of the weights: float32, float16 (compute is float32), or int8 (MatMul weights
   * int8 with per-column scales, run as dynamically quantised integer matmuls; the rest float32).
   */
  dtype: BundleDtype;
  /** The training recipe (free-form JSON). */
  recipe: Record<string, unknown>;
  /** Final metrics, e.g. test NLL in nats. */
  metrics: Record<string, number>;
  parity?: BundleParity;
  latentMap?: BundleLatentMap;
  /** The test set's score distribution (see {@link BundleTestScores}); absent in older bundles. */
  testScores?: BundleTestScores;
  /** The model spec (VAESpec JSON), for provenance; running the bundle does not need it. */
  spec?: Record<string, unknown>;
}
