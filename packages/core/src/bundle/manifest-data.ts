/**
 * What a bundle's manifest says about the data the model was trained on (`data`): its kind, the
 * geometry of images, a table's columns in user units, a series' windows, a text's vocabulary, and
 * how stored values map to the model's scale.
 */
/**
 * How raw data maps to what the model sees: `unit` maps [min, max] linearly onto [0, 1];
 * `standardize` is (raw - mean) / std per feature; `none` is the identity.
 */
export type BundleDataScaling =
  | { type: 'unit'; min: number; max: number }
  | { type: 'standardize'; mean: number[]; std: number[] }
  | { type: 'none' };

/**
 * One column of a tabular bundle in the user's terms: where its features start in a row of the
 * encoded data (`offset`; it spans one feature, or one per category), and how they map back to the
 * values of the table the model was trained on:
 * - `continuous`: feature = (value - mean) / std; `decimals` is the most decimal places its training
 *   values were written with (absent when unknown), for display;
 * - `categorical`: one-hot over `categories` (the category names, in feature order);
 * - `binary`: one feature, 0 for `values[0]` and 1 for `values[1]`.
 * The mapping itself lives in ./tabular-rows.ts, the one implementation the CLI and browsers share.
 */
export type BundleTabularColumn =
  | {
      name: string;
      type: 'continuous';
      offset: number;
      mean: number;
      std: number;
      decimals?: number;
    }
  | { name: string; type: 'categorical'; offset: number; categories: string[] }
  | { name: string; type: 'binary'; offset: number; values: [string, string] };

/**
 * The column schema of a tabular bundle (`data.tabular`), in the order of `likelihood.columns`.
 * Optional in format 2: bundles exported before it was added still load, but cannot map rows to and
 * from user units.
 */
export interface BundleTabular {
  columns: BundleTabularColumn[];
}

/** Image geometry of one example; features are stored channel-major (`chw`), like [C, H, W]. */
export interface BundleImage {
  height: number;
  width: number;
  channels: number;
  layout: 'chw';
}

/**
 * Windows of a multivariate time series (`data.series`): one example is [C, W] (`layout: 'cw'`,
 * channel-major: column c's W steps, then the next column's), standardised per column with the
 * training period's `mean` and `std`; `data.scaling` is the same standardisation spread per feature.
 * The mapping to user units lives in ./series-windows.ts.
 */
export interface BundleSeries {
  /** The CSV columns, one per channel, in order. */
  columns: string[];
  /** Steps per window (W) and between window starts. */
  window: number;
  stride: number;
  /** Per column: the training period's mean and standard deviation. */
  mean: number[];
  std: number[];
  layout: 'cw';
}

/**
 * A character-level text model (`data.text`): `tokens[id]` is the character of each id, ids 0-3
 * reserved (pad, bos, eos, unk, as `TEXT_RESERVED` in ./manifest.ts). An example is maxLen + 1 float32 ids
 * (the characters, EOS, then padding). The decoder's `u` input is uniform noise (`noise:
 * 'uniform'`): step t emits argmax(logits + temperature * Gumbel(u_t)), greedy at temperature 0.
 * The mapping strings <-> ids lives in ./text-ids.ts.
 */
export interface BundleText {
  tokens: string[];
  /** Longest text in characters. */
  maxLen: number;
  /** True when the training lines were lower-cased (encode lower-cases too). */
  lowercase: boolean;
}

/** The data the model was trained on. */
export interface BundleData {
  /** One example's shape as the encoder takes it, e.g. [784], [1, 28, 28], [C, W] or [maxLen + 1]. */
  shape: number[];
  kind: 'image' | 'tabular' | 'vector' | 'series' | 'text';
  /** Set for images (also for flattened ones such as [784]). */
  image?: BundleImage;
  scaling: BundleDataScaling;
  /** True when the training data was binarised (0/1 pixels). */
  binarized: boolean;
  /** Class names of the dataset, index = label. */
  labels?: string[];
  /** Tabular data: the column schema in user units (see {@link BundleTabular}). */
  tabular?: BundleTabular;
  /** Series data: columns, windowing and standardisation (see {@link BundleSeries}). */
  series?: BundleSeries;
  /** Text data: the vocabulary (see {@link BundleText}); required for kind `text`. */
  text?: BundleText;
}
