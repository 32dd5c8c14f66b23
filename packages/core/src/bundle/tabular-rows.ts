/**
 * Tabular rows in user units <-> the features a tabular model reads and writes. This is THE mapping,
 * shared by the `vae` CLI (train-node) and browsers (infer-web): it only undoes the encoding
 * (standardisation, one-hot, binary codes). Probability stays in the bundle's graphs: the features
 * it maps back come from the data-mean graph (expected features) or the data-sample graph (a draw).
 * Training encodes with `@vae/datasets`' TabularEncoder, which cannot import core; train-node's
 * tests hold the two to the same features.
 */
import { UserError } from '../errors/user-error';
import type { BundleTabularColumn } from './manifest';
import { tabularColumnWidth } from './tabular-checks';

/** A cell in user units: a number (continuous columns) or a category / binary value name. */
export type TabularValue = number | string;

/** A row in user units, keyed by column name. */
export type TabularRow = Record<string, TabularValue>;

/** A row as a caller gives it: `null`, `undefined`, `''` or an absent column mean a missing cell. */
export type TabularRowInput = Readonly<Record<string, TabularValue | null | undefined>>;

/** A row that does not fit the column schema (an unknown column or category, a non-number). */
export class TabularRowError extends UserError {
  override name = 'TabularRowError';
  constructor(
    message: string,
    /** Index of the row at fault. */
    readonly row: number,
    /** The column at fault, when there is one. */
    readonly column?: string,
  ) {
    super(message);
  }
}

/** Features per encoded row. */
export const tabularWidth = (columns: readonly BundleTabularColumn[]): number =>
  columns.reduce((w, c) => w + tabularColumnWidth(c), 0);

/** One column's value from its features: un-standardised; arg-max category; binary at p >= 0.5. */
function cellFrom(c: BundleTabularColumn, f: ArrayLike<number>, at: number): TabularValue {
  if (c.type === 'continuous') return f[at]! * c.std + c.mean;
  if (c.type === 'binary') return c.values[f[at]! >= 0.5 ? 1 : 0];
  let best = 0;
  for (let k = 1; k < c.categories.length; k++) if (f[at + k]! > f[at + best]!) best = k;
  return c.categories[best]!;
}

/**
 * Rows in user units from encoded features `[n, width]` (row-major): a decoded mean (probabilities
 * for categorical and binary columns) or a draw (one-hot, 0/1).
 * @throws TabularRowError when the length is not a multiple of the width
 */
export function rowsFromFeatures(
  columns: readonly BundleTabularColumn[],
  features: ArrayLike<number>,
): TabularRow[] {
  const width = tabularWidth(columns);
  if (features.length % width !== 0)
    throw new TabularRowError(`${features.length} features are not a multiple of ${width} per row`, 0);
  const rows: TabularRow[] = [];
  for (let at = 0; at < features.length; at += width) {
    const row: TabularRow = {};
    for (const c of columns) row[c.name] = cellFrom(c, features, at + c.offset);
    rows.push(row);
  }
  return rows;
}

const isMissing = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const quoted = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(', ');

/** Encodes one observed cell into `x` at `at`. */
function encodeCell(c: BundleTabularColumn, v: TabularValue, x: Float32Array, at: number, r: number): void {
  const bad = (what: string) =>
    new TabularRowError(`row ${r}, column "${c.name}": ${JSON.stringify(v)} ${what}`, r, c.name);
  if (c.type === 'continuous') {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad('is not a finite number');
    x[at] = (v - c.mean) / c.std;
    return;
  }
  const names: readonly string[] = c.type === 'categorical' ? c.categories : c.values;
  // A number matches a numeric value name (a 0/1 column's values are "0" and "1").
  let k = names.findIndex((name) =>
    typeof v === 'number' ? name.trim() !== '' && Number(name) === v : name === v,
  );
  if (k < 0 && typeof v === 'string') k = names.indexOf(v.trim());
  if (k < 0) throw bad(`is not one of ${quoted(names)}`);
  if (c.type === 'categorical') x[at + k] = 1;
  else x[at] = k;
}

/**
 * Encodes rows in user units as the model reads them: features `x` [n, width] (missing cells 0, the
 * training mean) and the per-column observed mask [n, columns] (1 observed, 0 missing).
 * @throws TabularRowError for an empty batch, a column the schema does not have, a non-number in a
 *   continuous column, or a value outside a column's categories
 */
export function featuresFromRows(
  columns: readonly BundleTabularColumn[],
  rows: readonly TabularRowInput[],
): { n: number; x: Float32Array; mask: Float32Array } {
  if (!Array.isArray(rows) || rows.length === 0)
    throw new TabularRowError('rows must be a non-empty array of objects keyed by column name', 0);
  const width = tabularWidth(columns);
  const known = new Set(columns.map((c) => c.name));
  const x = new Float32Array(rows.length * width);
  const mask = new Float32Array(rows.length * columns.length);
  rows.forEach((row, r) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row))
      throw new TabularRowError(`row ${r} must be an object keyed by column name`, r);
    for (const name of Object.keys(row))
      if (!known.has(name))
        throw new TabularRowError(
          `row ${r}: unknown column "${name}" (the columns are ${quoted([...known])})`,
          r,
          name,
        );
    columns.forEach((c, j) => {
      const v = row[c.name];
      if (isMissing(v)) return;
      encodeCell(c, v as TabularValue, x, r * width + c.offset, r);
      mask[r * columns.length + j] = 1;
    });
  });
  return { n: rows.length, x, mask };
}

/**
 * A cell as text: category names as they are; numbers with the column's `decimals` when known (as
 * the training data were written), else 6 significant digits.
 */
export function formatTabularValue(column: BundleTabularColumn, value: TabularValue): string {
  if (typeof value === 'string') return value;
  if (column.type === 'continuous' && column.decimals !== undefined) {
    const s = value.toFixed(column.decimals);
    return /^-0\.?0*$/.test(s) ? s.slice(1) : s; // no "-0" for a value that rounds to zero
  }
  return String(Number(value.toPrecision(6)));
}
