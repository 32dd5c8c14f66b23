/**
 * Encodes typed tables as float32 feature matrices for a model, with an observed mask, and decodes
 * model outputs back to rows in the user's units. Statistics (means, standard deviations) are fitted
 * on the training table only. Pure.
 */
import { DatasetArgumentError } from '../errors';
import type { ColumnSchema, TabularSchema, TypedTable } from './schema';

/** How categorical columns become features. */
export type CategoricalEncoding = 'one-hot' | 'ordinal';

/** Options of {@link fitTabularEncoder}. */
export interface TabularEncoderOptions {
  /** `one-hot` (one feature per category, default) or `ordinal` (one feature: the code). */
  readonly categorical?: CategoricalEncoding;
  /** Standardise continuous columns with training mean/std (default true). */
  readonly standardize?: boolean;
}

/** A value of a decoded row: a number for continuous columns, the category text otherwise. */
export type TabularValue = number | string;

/** An encoded table: row-major features `[count, width]` and the matching observed mask. */
export interface EncodedTable {
  /** Number of records. */
  readonly count: number;
  /** Features per record. */
  readonly width: number;
  /** Features; missing entries are 0 (the training mean after standardisation). */
  readonly data: Float32Array;
  /** 1 where the feature's source cell was observed, 0 where it was missing. */
  readonly mask: Uint8Array;
}

/** The fitted parameters of one column's encoding. */
export interface ColumnEncoding {
  /** The column schema. */
  readonly column: ColumnSchema;
  /** First feature index of this column. */
  readonly offset: number;
  /** Number of features (categories for one-hot, else 1). */
  readonly width: number;
  /** Training mean (continuous with standardisation; else 0). */
  readonly mean: number;
  /** Training standard deviation (continuous with standardisation; else 1). */
  readonly std: number;
}

/** Turns typed tables into features and features back into rows. */
export class TabularEncoder {
  /** The schema encoded. */
  readonly schema: TabularSchema;
  /** Per-column encoding parameters. */
  readonly encodings: readonly ColumnEncoding[];
  /** Total features per record. */
  readonly width: number;
  /** Name of each feature, e.g. `island=Dream` or `bill_length_mm`. */
  readonly featureNames: readonly string[];
  /** The categorical encoding used. */
  readonly categorical: CategoricalEncoding;

  /**
   * Prefer {@link fitTabularEncoder}; this constructor takes already fitted parameters (e.g.
   * restored from JSON).
   *
   * @param schema - the schema
   * @param encodings - per-column parameters
   * @param categorical - the categorical encoding
   */
  constructor(schema: TabularSchema, encodings: readonly ColumnEncoding[], categorical: CategoricalEncoding) {
    this.schema = schema;
    this.encodings = encodings;
    this.categorical = categorical;
    this.width = encodings.reduce((w, e) => w + e.width, 0);
    this.featureNames = encodings.flatMap(({ column, width }) =>
      column.kind === 'categorical' && width > 1
        ? column.categories.map((c) => `${column.name}=${c}`)
        : [column.name],
    );
  }

  /**
   * Encodes a typed table (which must use this encoder's schema).
   *
   * @param table - from `applySchema(table, encoder.schema)`
   * @returns features and mask
   */
  encode(table: TypedTable): EncodedTable {
    if (table.columns.length !== this.encodings.length) {
      throw new DatasetArgumentError(
        table.source,
        `table has ${table.columns.length} columns, encoder expects ${this.encodings.length}`,
      );
    }
    const { count } = table;
    const data = new Float32Array(count * this.width);
    const mask = new Uint8Array(count * this.width);
    this.encodings.forEach((enc, c) => {
      const values = table.columns[c]!;
      for (let r = 0; r < count; r++) {
        const v = values[r]!;
        const at = r * this.width + enc.offset;
        if (Number.isNaN(v)) continue;
        mask.fill(1, at, at + enc.width);
        if (enc.column.kind === 'continuous') data[at] = (v - enc.mean) / enc.std;
        else if (enc.width > 1) data[at + v] = 1;
        else data[at] = v;
      }
    });
    return { count, width: this.width, data, mask };
  }

  /**
   * Decodes features (e.g. a model's reconstruction) to rows in the user's units: continuous values
   * un-standardised; one-hot by arg-max; ordinal and binary codes rounded and clamped.
   *
   * @param data - row-major `[count, width]` features
   * @returns one row per record, values in schema column order
   */
  decode(data: Float32Array): TabularValue[][] {
    if (data.length % this.width !== 0) {
      throw new DatasetArgumentError(
        '<decode>',
        `feature length ${data.length} is not a multiple of width ${this.width}`,
      );
    }
    const rows: TabularValue[][] = [];
    for (let at = 0; at < data.length; at += this.width) {
      rows.push(
        this.encodings.map((enc) =>
          decodeCell(enc, data.subarray(at + enc.offset, at + enc.offset + enc.width)),
        ),
      );
    }
    return rows;
  }

  /**
   * Fills the missing cells of a table from decoded features, keeping every observed cell as it was:
   * the imputed values come back in the user's units.
   *
   * @param table - the typed table with missing cells (NaN)
   * @param reconstruction - features for the same records, e.g. a model's output
   * @returns complete rows in schema column order
   */
  impute(table: TypedTable, reconstruction: Float32Array): TabularValue[][] {
    if (reconstruction.length !== table.count * this.width) {
      throw new DatasetArgumentError(
        table.source,
        `reconstruction has ${reconstruction.length} values, expected ${table.count * this.width}`,
      );
    }
    const decoded = this.decode(reconstruction);
    return decoded.map((row, r) =>
      row.map((value, c) => {
        const v = table.columns[c]![r]!;
        return Number.isNaN(v) ? value : cellValue(this.encodings[c]!.column, v);
      }),
    );
  }
}

/** The user-facing value of a numeric cell (code → category text). */
function cellValue(column: ColumnSchema, v: number): TabularValue {
  if (column.kind === 'continuous') return v;
  if (column.kind === 'binary') return column.values[v]!;
  return column.categories[v]!;
}

function decodeCell(enc: ColumnEncoding, x: Float32Array): TabularValue {
  const { column } = enc;
  if (column.kind === 'continuous') return x[0]! * enc.std + enc.mean;
  if (column.kind === 'binary') return column.values[x[0]! >= 0.5 ? 1 : 0]!;
  if (enc.width > 1) {
    let best = 0;
    for (let k = 1; k < x.length; k++) if (x[k]! > x[best]!) best = k;
    return column.categories[best]!;
  }
  const code = Math.min(column.categories.length - 1, Math.max(0, Math.round(x[0]!)));
  return column.categories[code]!;
}

/**
 * Fits an encoder on the training table: the mean and standard deviation of each continuous
 * column are taken over its observed training values (std below 1e-12 becomes 1).
 *
 * @param train - the training split, typed with the schema
 * @param options - categorical encoding, standardisation
 * @returns the encoder, to be used unchanged on every split
 */
export function fitTabularEncoder(train: TypedTable, options: TabularEncoderOptions = {}): TabularEncoder {
  const { categorical = 'one-hot', standardize = true } = options;
  let offset = 0;
  const encodings = train.schema.columns.map((column, c): ColumnEncoding => {
    const width = column.kind === 'categorical' && categorical === 'one-hot' ? column.categories.length : 1;
    let mean = 0;
    let std = 1;
    if (column.kind === 'continuous' && standardize) {
      const values = [...train.columns[c]!].filter((v) => !Number.isNaN(v));
      if (values.length > 0) {
        mean = values.reduce((s, v) => s + v, 0) / values.length;
        const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
        std = Math.sqrt(variance) < 1e-12 ? 1 : Math.sqrt(variance);
      }
    }
    const encoding = { column, offset, width, mean, std };
    offset += width;
    return encoding;
  });
  return new TabularEncoder(train.schema, encodings, categorical);
}
