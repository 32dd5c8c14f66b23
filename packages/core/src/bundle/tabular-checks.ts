/**
 * Consistency of a tabular bundle's column schema (`data.tabular`) with its likelihood, data shape
 * and scaling: a schema that disagrees would map rows to the wrong features, silently.
 */
import { BundleError } from './errors';
import type { BundleManifest, BundleTabularColumn } from './manifest';

function fail(reason: 'shape' | 'malformed', path: string, what: string): never {
  throw new BundleError(reason, `manifest.json: ${path}: ${what}`, path);
}

/** Features one column occupies: one per category (one-hot), else one. */
export const tabularColumnWidth = (c: BundleTabularColumn): number =>
  c.type === 'categorical' ? c.categories.length : 1;

/** The standardisation of each feature the columns imply: continuous (mean, std), others (0, 1). */
export function tabularScaling(columns: readonly BundleTabularColumn[]): { mean: number[]; std: number[] } {
  const mean: number[] = [];
  const std: number[] = [];
  for (const c of columns)
    for (let k = 0; k < tabularColumnWidth(c); k++) {
      mean.push(c.type === 'continuous' ? c.mean : 0);
      std.push(c.type === 'continuous' ? c.std : 1);
    }
  return { mean, std };
}

function checkColumn(c: BundleTabularColumn, i: number, m: BundleManifest, offset: number): void {
  const at = `data.tabular.columns[${i}]`;
  const lik = m.likelihood.type === 'tabular' ? m.likelihood.columns[i]! : undefined;
  if (lik?.name !== c.name)
    fail('malformed', `${at}.name`, `"${c.name}" but likelihood.columns[${i}] is "${lik?.name}"`);
  if (lik.type !== c.type)
    fail('malformed', `${at}.type`, `${c.type} but likelihood.columns[${i}] is ${lik.type}`);
  if (c.offset !== offset)
    fail('shape', `${at}.offset`, `is ${c.offset}, the columns before it end at feature ${offset}`);
  if (c.type === 'categorical') {
    const k = lik.type === 'categorical' ? lik.categories : 0;
    if (c.categories.length !== k)
      fail('shape', `${at}.categories`, `has ${c.categories.length} names, the likelihood ${k} categories`);
    if (new Set(c.categories).size !== k) fail('malformed', `${at}.categories`, 'names must be distinct');
  }
  if (c.type === 'binary' && c.values[0] === c.values[1])
    fail('malformed', `${at}.values`, `the two values must differ, both are "${c.values[0]}"`);
}

/**
 * Checks `data.tabular` when present: only on tabular data with a tabular likelihood; the same
 * columns (names, kinds, category counts) as `likelihood.columns`, with unique names; offsets that
 * tile the features in order; and a `data.scaling` of type standardize equal to what the columns say.
 * @throws BundleError (`malformed` for contradictions, `shape` for sizes that do not fit)
 */
export function checkTabular(m: BundleManifest): void {
  const t = m.data.tabular;
  if (!t) return;
  if (m.data.kind !== 'tabular')
    fail('malformed', 'data.tabular', `a column schema needs data.kind tabular, not ${m.data.kind}`);
  if (m.likelihood.type !== 'tabular')
    fail(
      'malformed',
      'data.tabular',
      `a column schema needs the tabular likelihood, not ${m.likelihood.type}`,
    );
  const lik = m.likelihood.columns;
  if (t.columns.length !== lik.length)
    fail('shape', 'data.tabular.columns', `has ${t.columns.length} columns, the likelihood ${lik.length}`);
  const names = new Set<string>();
  let offset = 0;
  t.columns.forEach((c, i) => {
    if (names.has(c.name)) fail('malformed', `data.tabular.columns[${i}].name`, `"${c.name}" appears twice`);
    names.add(c.name);
    checkColumn(c, i, m, offset);
    offset += tabularColumnWidth(c);
  });
  const s = m.data.scaling;
  if (s.type !== 'standardize')
    fail(
      'malformed',
      'data.scaling',
      `tabular columns are standardised: type must be standardize, not ${s.type}`,
    );
  const want = tabularScaling(t.columns);
  for (const f of ['mean', 'std'] as const) {
    const j = want[f].findIndex((v, k) => s[f][k] !== v);
    if (j >= 0)
      fail('malformed', `data.scaling.${f}[${j}]`, `is ${s[f][j]}, data.tabular.columns say ${want[f][j]}`);
  }
}
