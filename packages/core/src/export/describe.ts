/** Manifest sections derived from a VAE spec and its trained parameters. */

import { BundleError } from '../bundle/errors';
import type {
  BundleData,
  BundleDataScaling,
  BundleImage,
  BundleLikelihood,
  BundlePrior,
  BundleSeries,
  BundleTabularColumn,
  BundleText,
} from '../bundle/manifest';
import { seriesScaling } from '../bundle/sequence-checks';
import { tabularScaling } from '../bundle/tabular-checks';
import type { HostTensor } from '../ir/dtype';
import { interpret } from '../ir/interpret';
import type { LikelihoodSpec, VAESpec } from '../models/spec';
import type { VAE } from '../models/vae';

/** Smallest Gaussian scale of a tabular continuous column (as in the tabular likelihood). */
const TABULAR_MIN_SCALE = 1e-3;

const floats = (t: HostTensor) => Array.from(t.data as Float32Array);
const rows = (xs: readonly number[], width: number) =>
  Array.from({ length: xs.length / width }, (_, i) => xs.slice(i * width, (i + 1) * width));

/** p(z) as mixture arrays: MoG from its parameters, VampPrior by encoding its pseudo-inputs now. */
export function describePrior(vae: VAE, params: Readonly<Record<string, HostTensor>>): BundlePrior {
  const s = vae.spec;
  const d = s.latent;
  switch (s.prior.type) {
    case 'standard-normal':
      return { type: 'standard-normal' };
    case 'mog': {
      const logits = floats(params['prior.logits']!);
      const max = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - max));
      const total = e.reduce((a, b) => a + b, 0);
      return {
        type: 'mog',
        components: logits.length,
        weights: e.map((v) => v / total),
        means: rows(floats(params['prior.loc']!), d),
        scales: rows(
          floats(params['prior.logScale']!).map((v) => Math.fround(Math.exp(v))),
          d,
        ),
      };
    }
    case 'vamp': {
      const { graph, outputs } = vae.roleGraph('encoder');
      const pseudo = params['prior.pseudo']!;
      const names = new Set(graph.inputs.map((t) => t.name));
      const feeds: Record<string, HostTensor> = { x: pseudo };
      for (const [n, v] of Object.entries(params)) if (names.has(n)) feeds[n] = v;
      const [loc, scale] = interpret(graph, [outputs.loc!, outputs.scale!], feeds);
      const k = s.prior.pseudoInputs;
      return {
        type: 'vamp',
        components: k,
        weights: Array.from({ length: k }, () => 1 / k),
        means: rows(floats(loc!), d),
        scales: rows(floats(scale!), d),
      };
    }
  }
}

/** p(x|z) and the meaning of the decoder output. */
export function describeLikelihood(
  spec: LikelihoodSpec,
  params: Readonly<Record<string, HostTensor>>,
): BundleLikelihood {
  switch (spec.type) {
    case 'bernoulli':
    case 'continuous-bernoulli':
      return { type: spec.type, output: 'logits' };
    case 'gaussian':
      return {
        type: 'gaussian',
        output: 'mean',
        logScale:
          spec.scale === 'learned'
            ? floats(params['lik.logScale']!)
            : spec.scale === 'learned-shared'
              ? floats(params['lik.logScale']!)[0]!
              : Math.log(spec.scale),
      };
    case 'discretized-logistic':
      return { type: 'discretized-logistic', output: 'loc-logscale', bins: 256 };
    case 'tabular':
      return {
        type: 'tabular',
        output: 'column-params',
        columns: spec.columns.map((c) => ({ ...c })),
        minScale: TABULAR_MIN_SCALE,
      };
    case 'sequence-categorical':
      // A text bundle's decoder is the decoding graph: it writes ids, not likelihood parameters.
      return { type: 'sequence-categorical', output: 'ids', vocab: spec.vocab };
  }
}

export interface DataOptions {
  kind?: BundleData['kind'];
  image?: Omit<BundleImage, 'layout'>;
  dataScaling?: BundleDataScaling;
  binarized?: boolean;
  labels?: readonly string[];
  /**
   * Tabular models: the column schema in user units (names, category names, binary values, the
   * standardisation of continuous columns), so readers map rows to and from features. It also sets
   * `data.scaling` (standardize, per feature) unless `dataScaling` is given.
   */
  tabular?: readonly BundleTabularColumn[];
  /**
   * Series models ([C, W] windows): columns, window, stride and the per-column training mean/std.
   * Sets kind `series` and `data.scaling` (standardize, per feature) unless `dataScaling` is given.
   */
  series?: Omit<BundleSeries, 'layout'>;
  /** Text models: the vocabulary (`tokens[id]`) and lower-casing; maxLen comes from the spec. */
  text?: Omit<BundleText, 'maxLen'>;
}

/** Image geometry: given, [C, H, W] data, or 784 features read as one 28x28 channel. */
function imageOf(spec: VAESpec, opts: DataOptions): BundleImage | undefined {
  if (opts.image) return { ...opts.image, layout: 'chw' };
  const sh = spec.dataShape;
  if (sh.length === 3) return { channels: sh[0]!, height: sh[1]!, width: sh[2]!, layout: 'chw' };
  if (spec.likelihood.type !== 'tabular' && sh[0] === 784 && opts.kind !== 'vector')
    return { channels: 1, height: 28, width: 28, layout: 'chw' };
  return undefined;
}

/** The kind of data when `opts.kind` does not say: from the likelihood and the blocks given. */
function kindOf(spec: VAESpec, opts: DataOptions, image: BundleImage | undefined): BundleData['kind'] {
  if (opts.kind) return opts.kind;
  if (spec.likelihood.type === 'sequence-categorical') return 'text';
  if (opts.series) return 'series';
  return spec.likelihood.type === 'tabular' ? 'tabular' : image ? 'image' : 'vector';
}

const NOT_IMAGE: readonly BundleData['kind'][] = ['vector', 'tabular', 'series', 'text'];

export function describeData(spec: VAESpec, opts: DataOptions): BundleData {
  const sequence = opts.series || spec.likelihood.type === 'sequence-categorical';
  const image = sequence || NOT_IMAGE.includes(opts.kind!) ? undefined : imageOf(spec, opts);
  const kind = kindOf(spec, opts, image);
  if (kind === 'text' && !opts.text)
    throw new BundleError('shape', 'a text bundle needs its vocabulary: pass text.tokens');
  const series = opts.series ? { ...structuredClone(opts.series), layout: 'cw' as const } : undefined;
  const text = opts.text
    ? { tokens: [...opts.text.tokens], maxLen: spec.dataShape[0]! - 1, lowercase: opts.text.lowercase }
    : undefined;
  if (kind === 'image' && !image)
    throw new BundleError(
      'shape',
      `data.kind is image but [${spec.dataShape}] has no known geometry: pass image`,
    );
  const columns = opts.tabular?.map((c) => structuredClone(c) as BundleTabularColumn);
  const scaling: BundleDataScaling =
    opts.dataScaling ??
    (columns
      ? { type: 'standardize', ...tabularScaling(columns) }
      : series
        ? { type: 'standardize', ...seriesScaling(series) }
        : kind === 'image'
          ? { type: 'unit', min: 0, max: 1 }
          : { type: 'none' });
  return {
    shape: [...spec.dataShape],
    kind,
    ...(image ? { image } : {}),
    scaling,
    binarized: opts.binarized ?? false,
    ...(opts.labels ? { labels: [...opts.labels] } : {}),
    ...(columns ? { tabular: { columns } } : {}),
    ...(series ? { series } : {}),
    ...(text ? { text } : {}),
  };
}
