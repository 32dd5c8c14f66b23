import * as v from 'valibot';

/** The `format` string of every bundle manifest. */
export const BUNDLE_FORMAT = 'vae-bundle';
/**
 * The manifest layout version this code writes and reads. 2: the probability graphs (`graphs`:
 * data-space mean and sample, posterior sample, score, prior sample) ship in the bundle.
 */
export const BUNDLE_FORMAT_VERSION = 2;

const num = v.pipe(v.number(), v.finite());
const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const positive = v.pipe(v.number(), v.finite(), v.gtValue(0));
const name = v.pipe(v.string(), v.minLength(1));
const fileName = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9._-]+$/, 'must be a plain file name (letters, digits, . _ -)'),
  v.check((s) => s !== '.' && s !== '..' && s !== 'manifest.json', 'must not be ".", ".." or manifest.json'),
);

const tensorInfo = v.object({
  name,
  shape: v.array(v.union([count, name])),
  noise: v.optional(v.picklist(['normal', 'uniform'])),
});

const graphInfo = v.object({
  file: fileName,
  inputs: v.pipe(v.array(tensorInfo), v.minLength(1)),
  outputs: v.pipe(v.array(tensorInfo), v.minLength(1)),
});

// Optional here; which a bundle must have depends on data.kind (./manifest-checks.ts).
const graphs = v.object({
  dataMean: v.optional(graphInfo),
  dataSample: v.optional(graphInfo),
  posteriorSample: v.optional(graphInfo),
  score: v.optional(graphInfo),
  priorSample: v.optional(graphInfo),
});

const prior = v.variant('type', [
  v.object({ type: v.literal('standard-normal') }),
  v.object({
    type: v.picklist(['mog', 'vamp']),
    components: positiveInt,
    weights: v.array(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
    means: v.array(v.array(num)),
    scales: v.array(v.array(positive)),
  }),
]);

const tabularColumn = v.variant('type', [
  v.object({ name: v.string(), type: v.literal('continuous') }),
  v.object({ name: v.string(), type: v.literal('binary') }),
  v.object({
    name: v.string(),
    type: v.literal('categorical'),
    categories: v.pipe(positiveInt, v.minValue(2)),
  }),
]);

const likelihood = v.variant('type', [
  v.object({ type: v.literal('bernoulli'), output: v.literal('logits') }),
  v.object({ type: v.literal('continuous-bernoulli'), output: v.literal('logits') }),
  v.object({
    type: v.literal('gaussian'),
    output: v.literal('mean'),
    logScale: v.union([num, v.array(num)]),
  }),
  v.object({
    type: v.literal('discretized-logistic'),
    output: v.literal('loc-logscale'),
    bins: v.pipe(positiveInt, v.minValue(2)),
  }),
  v.object({
    type: v.literal('tabular'),
    output: v.literal('column-params'),
    columns: v.pipe(v.array(tabularColumn), v.minLength(1)),
    minScale: positive,
  }),
  v.object({
    type: v.literal('sequence-categorical'),
    output: v.literal('ids'),
    vocab: v.pipe(positiveInt, v.minValue(5)),
  }),
]);

const scaling = v.variant('type', [
  v.object({ type: v.literal('unit'), min: num, max: num }),
  v.object({ type: v.literal('standardize'), mean: v.array(num), std: v.array(positive) }),
  v.object({ type: v.literal('none') }),
]);

/** A column of `data.tabular` (user terms; consistency with the likelihood: ./tabular-checks.ts). */
const tabularDataColumn = v.variant('type', [
  v.object({
    name,
    type: v.literal('continuous'),
    offset: count,
    mean: num,
    std: positive,
    decimals: v.optional(v.pipe(count, v.maxValue(15))),
  }),
  v.object({
    name,
    type: v.literal('categorical'),
    offset: count,
    categories: v.pipe(v.array(v.string()), v.minLength(2)),
  }),
  v.object({ name, type: v.literal('binary'), offset: count, values: v.tuple([v.string(), v.string()]) }),
]);

const data = v.object({
  shape: v.pipe(v.array(positiveInt), v.minLength(1)),
  kind: v.picklist(['image', 'tabular', 'vector', 'series', 'text']),
  image: v.optional(
    v.object({ height: positiveInt, width: positiveInt, channels: positiveInt, layout: v.literal('chw') }),
  ),
  scaling,
  binarized: v.boolean(),
  labels: v.optional(v.array(v.string())),
  tabular: v.optional(v.object({ columns: v.pipe(v.array(tabularDataColumn), v.minLength(1)) })),
  series: v.optional(
    v.object({
      columns: v.pipe(v.array(name), v.minLength(1)),
      window: positiveInt,
      stride: positiveInt,
      mean: v.array(num),
      std: v.array(positive),
      layout: v.literal('cw'),
    }),
  ),
  text: v.optional(
    v.object({
      tokens: v.pipe(v.array(v.string()), v.minLength(5)),
      maxLen: positiveInt,
      lowercase: v.boolean(),
    }),
  ),
});

/** The structure of manifest.json (valibot); consistency between fields is checked separately. */
export const manifestSchema = v.object({
  format: v.literal(BUNDLE_FORMAT),
  formatVersion: v.literal(BUNDLE_FORMAT_VERSION),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  latent: positiveInt,
  prior,
  likelihood,
  data,
  condition: v.optional(v.object({ size: positiveInt, labels: v.optional(v.array(v.string())) })),
  encoder: graphInfo,
  decoder: graphInfo,
  graphs,
  files: v.record(
    fileName,
    v.object({
      sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits')),
      bytes: count,
    }),
  ),
  opset: positiveInt,
  dtype: v.picklist(['float32', 'float16', 'int8']),
  recipe: v.record(v.string(), v.unknown()),
  metrics: v.record(v.string(), num),
  parity: v.optional(
    v.object({ maxAbsDiff: v.pipe(v.number(), v.minValue(0)), n: count, backend: v.string() }),
  ),
  latentMap: v.optional(
    v.object({
      file: fileName,
      n: positiveInt,
      dims: v.literal(2),
      method: v.picklist(['identity', 'pca']),
      labels: v.boolean(),
      basis: v.optional(v.object({ mean: v.array(num), axes: v.tuple([v.array(num), v.array(num)]) })),
    }),
  ),
  testScores: v.optional(
    v.object({
      measure: v.literal('iwae'),
      k: positiveInt,
      seed: v.pipe(v.number(), v.integer()),
      n: positiveInt,
      split: v.literal('test'),
      quantiles: v.pipe(v.array(num), v.length(101, 'must hold 101 values (percentiles 0..100)')),
      histogram: v.object({
        edges: v.pipe(v.array(num), v.minLength(2)),
        counts: v.pipe(v.array(count), v.minLength(1)),
      }),
    }),
  ),
  spec: v.optional(v.record(v.string(), v.unknown())),
});

export const safeParseManifest = (json: unknown) => v.safeParse(manifestSchema, json);

/** `prior.weights[2]`-style path of a valibot issue ('' for the root). */
export function formatIssuePath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
