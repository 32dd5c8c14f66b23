/** The model API, shared by the in-page model and the Web Worker proxy. */
import type { BundleManifest, SeriesWindowsInput, TabularRow, TabularRowInput } from '@vae/core/bundle';
import type { PRNGKey } from '@vae/random';
import type { Condition, Rows } from './inputs';
import type { Backend, RuntimeOptions } from './runtime';

/** A key, or an integer seed for `key(seed)`. */
export type KeyLike = PRNGKey | number;

/** Decoded latents: z [n, latent] and the decoder output params [n, ...paramShape], row-major. */
export interface Decoded {
  n: number;
  z: Float32Array;
  params: Float32Array;
  /** Shape of one example's params (e.g. [784] or [1, 28, 28]). */
  paramShape: number[];
}

/** Posterior q(z|x): mean and standard deviation, [n, latent] each. */
export interface Encoded {
  n: number;
  loc: Float32Array;
  scale: Float32Array;
}

/** x encoded to its posterior mean and decoded again (`z` = `loc`). */
export interface Reconstruction extends Decoded {
  loc: Float32Array;
  scale: Float32Array;
}

export interface SampleOptions {
  /** Scales the prior's spread (1 = the prior itself; < 1 gives more typical samples). */
  temperature?: number;
  /** Condition for conditional models. */
  c?: Condition;
}

export interface ScoreOptions {
  c?: Condition;
  /** Tabular models: 1 observed / 0 missing, [n, columns]; default all observed. */
  mask?: Rows;
  /** Most rows per decoder run (default 8192): k * n rows are split into runs of at most this many. */
  maxRows?: number;
}

export interface ValueOptions {
  /** The likelihood's mean (default) or one draw from it (needs `key`). */
  mode?: 'mean' | 'sample';
  key?: KeyLike;
}

/** Options of {@link VaeModel.sampleRows}. */
export interface TabularSampleOptions {
  /** Scales the prior's spread, as in {@link SampleOptions}. */
  temperature?: number;
}

/** Options of {@link VaeModel.imputeRows} (the defaults are `vae impute`'s). */
export interface ImputeOptions {
  /** Importance-weighted posterior draws per row (default 100); 0 decodes the posterior mean. */
  samples?: number;
  /** Key of the posterior draws (default the seed 1). */
  key?: KeyLike;
}

/** Options of {@link VaeModel.inpaint} (the defaults are `vae impute --method gibbs`'s). */
export interface InpaintOptions {
  /** Metropolis-within-Gibbs iterations (default 100); the first `burnIn` are not averaged. */
  iters?: number;
  /** Iterations discarded before averaging (default floor(iters / 2)). */
  burnIn?: number;
  /** Key of the chain (default the seed 1): iteration t uses `fold(key, t)`. */
  key?: KeyLike;
  /**
   * The starting value of the missing pixels, one image ([...data.shape] values; e.g. the training
   * set's mean image, as `vae impute` uses); default each example's likelihood mean at z = 0.
   */
  fill?: Float32Array;
  /** false: pseudo-Gibbs (every proposal accepted; exact only for a perfect encoder). Default true. */
  metropolis?: boolean;
  /** Condition for conditional models. */
  c?: Condition;
}

/** Images with their missing pixels filled ({@link VaeModel.inpaint}). */
export interface Inpainted {
  n: number;
  /** [n, ...data.shape]: observed pixels as given, missing ones E[x_mis | x_obs] (not clipped). */
  filled: Float32Array;
  /** Share of Metropolis proposals accepted (1 for pseudo-Gibbs). */
  acceptance: number;
}

/** Options of {@link VaeModel.sampleText}. */
export interface TextSampleOptions {
  /** Softmax temperature of each character's draw (default 1); 0 decodes greedily. */
  temperature?: number;
}

/** Options of {@link VaeModel.decodeText}. */
export interface TextDecodeOptions {
  /** Softmax temperature of each character's draw (default 0: greedy). Above 0 needs `key`. */
  temperature?: number;
  /** Key of the characters' uniform noise: `uniform(key, n * L * V)` laid out [n, L, V]. */
  key?: KeyLike;
}

/** Windows reconstructed ({@link VaeModel.reconstructWindows}). */
export interface WindowReconstruction {
  n: number;
  /** [n, C, W] in the CSV's units: the likelihood mean at the posterior mean. */
  windows: Float32Array;
  /** Posterior mean and standard deviation, [n, latent] each. */
  loc: Float32Array;
  scale: Float32Array;
}

/** Per-window scores ({@link VaeModel.scoreWindows}), nats on the standardised scale. */
export interface WindowScores {
  n: number;
  /** -ELBO per window (recon + kl). */
  negElbo: Float64Array;
  /** -E_q log p(x | z) per window. */
  recon: Float64Array;
  /** KL(q(z|x) || p(z)) per window. */
  kl: Float64Array;
  /**
   * [n, W]: each window's -ELBO split by time step (sums to `negElbo` over a window's steps): the
   * per-step reconstruction NLL summed over columns plus KL / W, from the score graph's `steps`.
   */
  steps: Float64Array;
}

export interface PictureOptions extends ValueOptions {
  /** Which example of the batch (default 0). */
  index?: number;
  /** Geometry override; default the manifest's `data.image`. */
  h?: number;
  w?: number;
  c?: number;
}

/** A loaded bundle on onnxruntime-web. Every method runs its whole batch in one session run. */
export interface VaeModel {
  readonly manifest: BundleManifest;
  readonly latent: number;
  /** The execution provider the sessions run on. */
  readonly backend: Backend;
  /** Why WebGPU was requested but not used, if it was. */
  readonly fallback?: string;
  /** WASM threads onnxruntime-web runs with (1 unless the page is cross-origin isolated). */
  readonly threads: number;
  /**
   * n draws z from the prior, decoded. The z key is `fold(key, 0)`: standard normal:
   * `temperature * normal(fold(key, 0), n * latent)`; mixtures: the bundle's prior-sample graph, its
   * i-th noise input from `fold(fold(key, 0), i)` (normal noise times `temperature`). `vae sample
   * --png --seed S` draws the same z for `key` S (and `sampleRows` the same z before its data draw).
   */
  sample(n: number, key: KeyLike, opts?: SampleOptions): Promise<Decoded>;
  /** Decodes z ([n, latent]). A z of the wrong length is an InferError `input`. */
  decode(z: Rows, c?: Condition): Promise<Decoded>;
  /** Posterior mean and scale of x ([n, ...data.shape]). */
  encode(x: Rows, c?: Condition, mask?: Rows): Promise<Encoded>;
  /** Decodes the posterior mean of x. */
  reconstruct(x: Rows, c?: Condition, mask?: Rows): Promise<Reconstruction>;
  /** `steps` points from a to b (endpoints exact), decoded together. */
  interpolate(
    a: ArrayLike<number>,
    b: ArrayLike<number>,
    steps: number,
    mode?: 'lerp' | 'slerp',
    c?: Condition,
  ): Promise<Decoded>;
  /** z with coordinate `dim` set to each of `values`, decoded together. */
  traverse(z: ArrayLike<number>, dim: number, values: ArrayLike<number>, c?: Condition): Promise<Decoded>;
  /**
   * Importance-sampled -log p(x) per example in nats, with k samples from q(z|x) (the IWAE estimate;
   * high values flag anomalies), computed by the bundle's score graph (core's `iwaeBound`).
   * Noise: `normal(fold(key, 0), k * n * latent)` laid out [k, n, latent].
   */
  score(x: Rows, k: number, key: KeyLike, opts?: ScoreOptions): Promise<Float64Array>;
  /**
   * Data-space values ([n, ...data.shape]) of decoder output: the likelihood's mean, or one draw
   * (`mode: 'sample'`), by the bundle's data-mean / data-sample graph. Sample noise: the i-th noise
   * input of the graph from `fold(key, i)`.
   */
  toData(params: Float32Array, opts?: ValueOptions): Promise<Float32Array>;
  /**
   * Tabular bundles: n synthetic rows in user units (objects keyed by column name; categories by
   * name, numbers un-standardised). z from the prior as {@link sample} draws it for `key`, then
   * one draw of p(x|z) by the data-sample graph with `fold(key, 1)`: `vae sample --csv --seed S`
   * writes the same rows for `key` S. InferError `input` for a bundle that is not tabular.
   */
  sampleRows(n: number, key: KeyLike, opts?: TabularSampleOptions): Promise<TabularRow[]>;
  /**
   * Tabular bundles: each row encoded to its posterior mean and decoded to the likelihood mean, in
   * user units (most probable category; every cell, missing ones included). A cell that does not fit
   * the column schema (unknown column or category, a non-number) is an InferError `input`.
   */
  reconstructRows(rows: readonly TabularRowInput[]): Promise<TabularRow[]>;
  /**
   * Tabular bundles: the rows with missing cells (`null`, `undefined`, `''` or absent) filled with
   * E[x_mis | x_obs] from importance-weighted posterior draws (as `vae impute`, with its defaults:
   * 100 draws, seed 1; batches of 256 rows, batch b keyed `fold(key, b)`). Observed cells are kept.
   */
  imputeRows(rows: readonly TabularRowInput[], opts?: ImputeOptions): Promise<TabularRow[]>;
  /**
   * Image bundles: fills the pixels of x ([n, ...data.shape]) where `missing` (same shape) is 1 with
   * E[x_mis | x_obs], by Metropolis-within-Gibbs (Mattei & Frellsen 2018) over the bundle's encoder,
   * posterior-sample, decoder, score, data-sample and data-mean graphs: each iteration proposes
   * z' ~ q(z | x_t), accepts it with probability min(1, w(z') / w(z_t-1)), w = p(x_t|z) p(z) / q(z|x_t),
   * draws the missing pixels from p(x|z_t), and averages E[x_mis | z_t] after burn-in. The chain of
   * `vae impute --method gibbs` (core's `metropolisWithinGibbs`): the same key and fill give the same
   * fill up to float rounding. InferError `input` for a tabular bundle (use imputeRows) or a bad mask.
   */
  inpaint(x: Rows, missing: Rows, opts?: InpaintOptions): Promise<Inpainted>;
  /**
   * Text bundles: n strings. z from the prior as {@link sample} draws it (`fold(key, 0)`), each
   * character drawn at `temperature` (default 1; 0 greedy) with `uniform(fold(key, 1), n * L * V)`:
   * `vae sample --seed S` on the text run prints the same strings for `key` S.
   */
  sampleText(n: number, key: KeyLike, opts?: TextSampleOptions): Promise<string[]>;
  /** Text bundles: the posterior of each string (means in `loc`); one too long is an InferError `input`. */
  encodeText(texts: readonly string[]): Promise<Encoded>;
  /** Text bundles: z ([n, latent]) decoded to strings, greedily unless `temperature` > 0 (needs `key`). */
  decodeText(z: Rows, opts?: TextDecodeOptions): Promise<string[]>;
  /**
   * Text bundles: `steps` strings between the posterior means of `a` and `b` (slerp by default, as
   * `vae interp --from --to`), decoded greedily.
   */
  interpolateText(a: string, b: string, steps: number, mode?: 'lerp' | 'slerp'): Promise<string[]>;
  /**
   * Series bundles: windows ([n, C, W] flat in the CSV's units, or one [C][W] array per window)
   * encoded to their posterior means and decoded to the likelihood mean, in the CSV's units.
   */
  reconstructWindows(windows: SeriesWindowsInput): Promise<WindowReconstruction>;
  /**
   * Series bundles: each window's -ELBO (its recon and KL parts, and its split by time step) by the
   * bundle's score graph, with k posterior draws from `normal(fold(key, 0), k * n * latent)`
   * (default k = 1).
   */
  scoreWindows(windows: SeriesWindowsInput, key: KeyLike, k?: number): Promise<WindowScores>;
  /** RGBA bytes of one decoded example (Bernoulli logits become probabilities, etc.). */
  toRGBA(params: Float32Array, opts?: PictureOptions): Promise<Uint8ClampedArray>;
  /** ImageData of one decoded example (browsers and workers). */
  toImageData(params: Float32Array, opts?: PictureOptions): Promise<ImageData>;
  /** Releases the sessions (and the worker). Later calls fail with InferError `disposed`. */
  dispose(): Promise<void>;
}

/** Options of {@link loadModel}. */
export interface LoadOptions extends RuntimeOptions {
  /**
   * Run the sessions in a module Web Worker so the page stays responsive: `true` starts the
   * package's worker, or pass a Worker you started from `@vae/infer-web/worker`.
   */
  worker?: boolean | Worker;
  /** fetch to use for URL sources (default globalThis.fetch; not used in worker mode). */
  fetch?: typeof fetch;
}
