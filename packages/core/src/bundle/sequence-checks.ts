/**
 * Consistency of a series bundle's `data.series` and a text bundle's `data.text` with the data
 * shape, scaling, likelihood and graphs: a block that disagrees would map windows or strings to the
 * wrong features, silently.
 */
import { BundleError } from './errors';
import type { BundleManifest, BundleSeries } from './manifest';

function fail(reason: 'shape' | 'malformed', path: string, what: string): never {
  throw new BundleError(reason, `manifest.json: ${path}: ${what}`, path);
}

/** Per-feature standardisation of [C, W] windows: each column's mean and std repeated W times. */
export function seriesScaling(s: Pick<BundleSeries, 'mean' | 'std' | 'window'>): {
  mean: number[];
  std: number[];
} {
  const spread = (xs: readonly number[]) => xs.flatMap((v) => new Array<number>(s.window).fill(v));
  return { mean: spread(s.mean), std: spread(s.std) };
}

function checkSeries(m: BundleManifest): void {
  const s = m.data.series;
  if (!s) return;
  if (m.data.kind !== 'series')
    fail('malformed', 'data.series', `needs data.kind series, not ${m.data.kind}`);
  const c = s.columns.length;
  for (const f of ['mean', 'std'] as const)
    if (s[f].length !== c) fail('shape', `data.series.${f}`, `has ${s[f].length} entries for ${c} columns`);
  if (new Set(s.columns).size !== c) fail('malformed', 'data.series.columns', 'names must be distinct');
  const shape = m.data.shape;
  if (shape.length !== 2 || shape[0] !== c || shape[1] !== s.window)
    fail('shape', 'data.shape', `series windows are [${c}, ${s.window}], data.shape is [${shape}]`);
  const sc = m.data.scaling;
  if (sc.type !== 'standardize')
    fail(
      'malformed',
      'data.scaling',
      `series windows are standardised: type must be standardize, not ${sc.type}`,
    );
  const want = seriesScaling(s);
  for (const f of ['mean', 'std'] as const) {
    const j = want[f].findIndex((v, k) => sc[f][k] !== v);
    if (j >= 0)
      fail('malformed', `data.scaling.${f}[${j}]`, `is ${sc[f][j]}, data.series says ${want[f][j]}`);
  }
}

function checkText(m: BundleManifest): void {
  const t = m.data.text;
  const text = m.data.kind === 'text';
  const lik = m.likelihood;
  if (!text) {
    if (t) fail('malformed', 'data.text', `needs data.kind text, not ${m.data.kind}`);
    if (lik.type === 'sequence-categorical')
      fail('malformed', 'likelihood', `sequence-categorical needs data.kind text, not ${m.data.kind}`);
    return;
  }
  if (!t) fail('malformed', 'data.text', 'a text bundle needs its vocabulary (data.text)');
  if (lik.type !== 'sequence-categorical')
    fail(
      'malformed',
      'likelihood',
      `a text bundle needs the sequence-categorical likelihood, not ${lik.type}`,
    );
  if (lik.vocab !== t.tokens.length)
    fail('shape', 'data.text.tokens', `has ${t.tokens.length} tokens, likelihood.vocab is ${lik.vocab}`);
  if (m.data.shape.length !== 1 || m.data.shape[0] !== t.maxLen + 1)
    fail(
      'shape',
      'data.shape',
      `text of at most ${t.maxLen} characters is [${t.maxLen + 1}], got [${m.data.shape}]`,
    );
  const u = m.decoder.inputs.find((x) => x.name === 'u');
  if (u?.noise !== 'uniform') fail('malformed', 'decoder.inputs', 'a text decoder takes uniform noise u');
  if (u.shape.slice(1).join() !== [t.maxLen + 1, lik.vocab].join())
    fail('shape', 'decoder.inputs', `u is [${u.shape}], needs [N,${t.maxLen + 1},${lik.vocab}]`);
  if (!m.decoder.inputs.some((x) => x.name === 'temperature'))
    fail('malformed', 'decoder.inputs', 'a text decoder takes temperature');
}

/** Which probability graphs a bundle must ship: all four, except for text bundles (none). */
function checkRequiredGraphs(m: BundleManifest): void {
  if (m.data.kind === 'text') return;
  for (const g of ['dataMean', 'dataSample', 'posteriorSample', 'score'] as const)
    if (!m.graphs[g]) fail('malformed', `graphs.${g}`, `a ${m.data.kind} bundle needs its ${g} graph`);
}

/**
 * Checks `data.series` (kind series, one mean/std per column, shape [C, W], a per-feature
 * standardize scaling equal to the block), `data.text` (kind text with the sequence-categorical
 * likelihood, vocab = tokens, shape [maxLen + 1], the decoder's uniform `u` and `temperature`) and
 * the probability graphs each kind needs.
 * @throws BundleError (`malformed` for contradictions, `shape` for sizes that do not fit)
 */
export function checkSequences(m: BundleManifest): void {
  checkSeries(m);
  checkText(m);
  checkRequiredGraphs(m);
}

/**
 * A probability graph of a bundle, which every kind but text ships.
 * @throws BundleError `unsupported` when the bundle has none (a text bundle)
 */
export function requireGraph(
  m: BundleManifest,
  g: 'dataMean' | 'dataSample' | 'posteriorSample' | 'score',
): NonNullable<BundleManifest['graphs'][typeof g]> {
  const info = m.graphs[g];
  if (!info)
    throw new BundleError('unsupported', `this ${m.data.kind} bundle has no ${g} graph`, `graphs.${g}`);
  return info;
}
