/**
 * Column schemas for tabular data: continuous, categorical, binary. Inferred from a table or given,
 * and applied to turn cell texts into numbers (missing cells become NaN). Pure.
 */
import { SchemaError } from '../errors';
import type { CsvTable } from './csv';

/** A real-valued column. */
export interface ContinuousColumn {
  /** Column name (as in the CSV header). */
  readonly name: string;
  /** Kind tag. */
  readonly kind: 'continuous';
}

/** A column taking one of a fixed set of values; codes are indices into `categories`. */
export interface CategoricalColumn {
  /** Column name. */
  readonly name: string;
  /** Kind tag. */
  readonly kind: 'categorical';
  /** The allowed values, in code order. */
  readonly categories: readonly string[];
}

/** A two-valued column: `values[0]` is coded 0, `values[1]` is coded 1. */
export interface BinaryColumn {
  /** Column name. */
  readonly name: string;
  /** Kind tag. */
  readonly kind: 'binary';
  /** The two values, as they appear in the file. */
  readonly values: readonly [string, string];
}

/** One column of a {@link TabularSchema}. */
export type ColumnSchema = ContinuousColumn | CategoricalColumn | BinaryColumn;

/** The columns to use, in order (a table may have more columns; they are ignored). */
export interface TabularSchema {
  /** Column schemas. */
  readonly columns: readonly ColumnSchema[];
}

/** A table with its values as numbers: one array per schema column, NaN where missing. */
export interface TypedTable {
  /** File name for messages. */
  readonly source: string;
  /** The schema applied. */
  readonly schema: TabularSchema;
  /** Number of records. */
  readonly count: number;
  /** Per column: the value (continuous) or code (categorical, binary), NaN if missing. */
  readonly columns: readonly Float64Array[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a cell as a finite decimal number (no hex, no `Infinity`, no thousands separators).
 *
 * @param text - the cell
 * @returns the number, or `undefined` if the text is not a number
 */
export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/** Options of {@link inferSchema}. */
export interface InferSchemaOptions {
  /** Columns to use (default: all header columns). */
  readonly columns?: readonly string[];
  /** Columns with more distinct non-numeric values than this are rejected (default 100). */
  readonly maxCategories?: number;
}

/**
 * Infers a schema: a column whose values all parse as numbers is continuous (binary if they are
 * only 0 and 1); a column with exactly two distinct texts is binary; otherwise categorical
 * (sorted categories). A column that is mostly numbers but has a few non-numbers is an error, as is
 * a column with no values at all.
 *
 * @param table - the (training) table
 * @param options - columns to use, category limit
 * @returns the schema
 * @throws SchemaError naming the column, and the line of the first offending value
 */
export function inferSchema(table: CsvTable, options: InferSchemaOptions = {}): TabularSchema {
  const { maxCategories = 100 } = options;
  const names = options.columns ?? table.header;
  const columns = names.map((name): ColumnSchema => {
    const c = columnIndex(table, name);
    const distinct = new Set<string>();
    let numeric = 0;
    let present = 0;
    let firstText: { value: string; line: number } | undefined;
    table.rows.forEach((row, r) => {
      const cell = row[c];
      if (cell === null || cell === undefined) return;
      present++;
      distinct.add(cell);
      if (parseNumber(cell) !== undefined) numeric++;
      else firstText ??= { value: cell, line: table.lines[r] ?? r + 2 };
    });
    if (present === 0) {
      throw new SchemaError(
        table.source,
        'bad-schema',
        `column "${name}" has no values: give its kind in a schema`,
        name,
      );
    }
    if (numeric === present) {
      const onlyBits = [...distinct].every((v) => parseNumber(v) === 0 || parseNumber(v) === 1);
      return onlyBits && distinct.size > 1
        ? { name, kind: 'binary', values: ['0', '1'] }
        : { name, kind: 'continuous' };
    }
    if (numeric * 2 >= present && firstText) {
      throw new SchemaError(
        table.source,
        'not-numeric',
        `line ${firstText.line}, column "${name}": "${firstText.value}" is not a number, but ${numeric} of ` +
          `${present} values in this column are (mark it missing, fix it, or give a schema)`,
        name,
        firstText.line,
      );
    }
    const sorted = [...distinct].sort();
    if (sorted.length > maxCategories) {
      throw new SchemaError(
        table.source,
        'bad-schema',
        `column "${name}" has ${sorted.length} distinct values, over maxCategories ${maxCategories}`,
        name,
      );
    }
    if (sorted.length === 2) return { name, kind: 'binary', values: [sorted[0]!, sorted[1]!] };
    return { name, kind: 'categorical', categories: sorted };
  });
  return { columns };
}

function columnIndex(table: CsvTable, name: string): number {
  const c = table.header.indexOf(name);
  if (c < 0) {
    throw new SchemaError(
      table.source,
      'missing-column',
      `no column "${name}" (columns: ${table.header.join(', ')})`,
      name,
    );
  }
  return c;
}

/**
 * Converts a table's cells to numbers under a schema: continuous values, category or binary codes,
 * NaN for missing cells.
 *
 * @param table - the table
 * @param schema - the schema (its columns must exist in the table)
 * @returns the typed table
 * @throws SchemaError for a non-number in a continuous column or a value outside a column's
 *   categories, naming the line and column
 */
export function applySchema(table: CsvTable, schema: TabularSchema): TypedTable {
  checkSchema(table.source, schema);
  const count = table.rows.length;
  const columns = schema.columns.map((column) => {
    const c = columnIndex(table, column.name);
    const out = new Float64Array(count);
    const codes =
      column.kind === 'categorical'
        ? new Map(column.categories.map((v, i) => [v, i]))
        : column.kind === 'binary'
          ? new Map(column.values.map((v, i) => [v, i]))
          : undefined;
    for (let r = 0; r < count; r++) {
      const cell = table.rows[r]![c];
      if (cell === null || cell === undefined) {
        out[r] = Number.NaN;
        continue;
      }
      const line = table.lines[r] ?? r + 2;
      if (codes === undefined) {
        const v = parseNumber(cell);
        if (v === undefined) {
          throw new SchemaError(
            table.source,
            'not-numeric',
            `line ${line}, column "${column.name}": "${cell}" is not a number (the column is continuous)`,
            column.name,
            line,
          );
        }
        out[r] = v;
      } else {
        const code = codes.get(cell) ?? numericCode(column, cell);
        if (code === undefined) {
          const allowed: readonly string[] =
            column.kind === 'categorical' ? column.categories : column.kind === 'binary' ? column.values : [];
          throw new SchemaError(
            table.source,
            column.kind === 'binary' ? 'not-binary' : 'unknown-category',
            `line ${line}, column "${column.name}": "${cell}" is not one of ${allowed.map((v) => `"${v}"`).join(', ')}`,
            column.name,
            line,
          );
        }
        out[r] = code;
      }
    }
    return out;
  });
  return { source: table.source, schema, count, columns };
}

/** For binary columns with numeric values, `1.0` matches `1`. */
function numericCode(column: ColumnSchema, cell: string): number | undefined {
  if (column.kind !== 'binary') return undefined;
  const v = parseNumber(cell);
  if (v === undefined) return undefined;
  const i = column.values.findIndex((value) => parseNumber(value) === v);
  return i < 0 ? undefined : i;
}

/**
 * Checks that a schema is well formed: unique names, non-empty categories, distinct binary values.
 *
 * @param source - name for messages
 * @param schema - the schema
 * @throws SchemaError when it is not
 */
export function checkSchema(source: string, schema: TabularSchema): void {
  const seen = new Set<string>();
  for (const column of schema.columns) {
    if (seen.has(column.name)) {
      throw new SchemaError(
        source,
        'bad-schema',
        `column "${column.name}" appears twice in the schema`,
        column.name,
      );
    }
    seen.add(column.name);
    if (
      column.kind === 'categorical' &&
      (column.categories.length === 0 || new Set(column.categories).size !== column.categories.length)
    ) {
      throw new SchemaError(
        source,
        'bad-schema',
        `column "${column.name}" needs distinct, non-empty categories`,
        column.name,
      );
    }
    if (column.kind === 'binary' && (column.values.length !== 2 || column.values[0] === column.values[1])) {
      throw new SchemaError(
        source,
        'bad-schema',
        `binary column "${column.name}" needs two distinct values`,
        column.name,
      );
    }
  }
}
