/**
 * Wraps encoded tabular data as a {@link Dataset} (float32 features, observed mask, optional
 * labels from a categorical column). Pure.
 */
import { createDataset, type Dataset } from '../dataset';
import { SchemaError } from '../errors';
import type { CsvTable } from './csv';
import type { EncodedTable } from './encoder';

/**
 * A dataset over encoded features with their mask.
 *
 * @param encoded - from `TabularEncoder.encode`
 * @param options - name, and labels / class names (e.g. from {@link labelsFromColumn})
 * @returns a float32 dataset of shape `[width]` with `mask` set
 */
export function tabularDataset(
  encoded: EncodedTable,
  options: {
    readonly name?: string;
    readonly labels?: Uint8Array;
    readonly classNames?: readonly string[];
  } = {},
): Dataset<'float32'> {
  return createDataset({
    name: options.name ?? 'tabular',
    dtype: 'float32',
    data: encoded.data,
    exampleShape: [encoded.width],
    mask: encoded.mask,
    labels: options.labels,
    classNames: options.classNames,
  });
}

/**
 * Integer labels from a text column (e.g. `species`), with the sorted class names. Missing cells
 * are an error (a label is needed for every record).
 *
 * @param table - the table
 * @param column - the column name
 * @param classNames - the classes in label order (default: the column's sorted distinct values)
 * @returns labels and class names
 * @throws SchemaError for a missing column, a missing cell, an unknown class, or over 256 classes
 */
export function labelsFromColumn(
  table: CsvTable,
  column: string,
  classNames?: readonly string[],
): { labels: Uint8Array; classNames: readonly string[] } {
  const c = table.header.indexOf(column);
  if (c < 0) throw new SchemaError(table.source, 'missing-column', `no column "${column}"`, column);
  const names =
    classNames ?? [...new Set(table.rows.map((row) => row[c]).filter((v): v is string => v != null))].sort();
  if (names.length > 256) {
    throw new SchemaError(
      table.source,
      'bad-schema',
      `column "${column}" has ${names.length} classes, over 256`,
      column,
    );
  }
  const index = new Map(names.map((n, i) => [n, i]));
  const labels = new Uint8Array(table.rows.length);
  table.rows.forEach((row, r) => {
    const cell = row[c];
    const label = cell == null ? undefined : index.get(cell);
    if (label === undefined) {
      const line = table.lines[r] ?? r + 2;
      throw new SchemaError(
        table.source,
        'unknown-category',
        `line ${line}, column "${column}": ${cell == null ? 'missing label' : `"${cell}" is not a known class`}`,
        column,
        line,
      );
    }
    labels[r] = label;
  });
  return { labels, classNames: names };
}
