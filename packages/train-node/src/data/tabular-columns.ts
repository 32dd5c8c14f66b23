/**
 * A tabular run's column schema in user units, as its bundle records it (`data.tabular`) and as
 * `vae sample --csv` and `vae impute` map features with (`@vae/core`'s rowsFromFeatures): one
 * schema, built here from what training saved.
 */
import type { BundleTabularColumn } from '@vae/core';
import type { ColumnEncoding, CsvTable, TabularSchema } from '@vae/datasets';

/** Most decimals kept for display (float64 carries about 15 significant digits). */
const MAX_DECIMALS = 15;

/**
 * Decimal places each continuous column's values were written with (the most in the column), so
 * generated numbers look like the data (`39.1`, `3750`). A column with exponent notation (`1e-3`)
 * has no fixed precision and is left out.
 */
export function columnDecimals(table: CsvTable, schema: TabularSchema): Record<string, number> {
  const out: Record<string, number> = {};
  for (const column of schema.columns) {
    if (column.kind !== 'continuous') continue;
    const j = table.header.indexOf(column.name);
    let most = 0;
    let fixed = j >= 0;
    for (const row of table.rows) {
      const cell = row[j];
      if (cell == null) continue;
      if (/e/i.test(cell)) {
        fixed = false;
        break;
      }
      const dot = cell.indexOf('.');
      most = Math.max(most, dot < 0 ? 0 : cell.length - dot - 1);
    }
    if (fixed) out[column.name] = Math.min(most, MAX_DECIMALS);
  }
  return out;
}

/**
 * The bundle contract's columns for a run (its `TabularState`): names, kinds, category names and binary values, the
 * training standardisation and feature offsets (the fitted encoder's), and the data's decimals
 * when training recorded them.
 */
export function bundleTabularColumns(state: {
  readonly encodings: readonly ColumnEncoding[];
  readonly decimals?: Readonly<Record<string, number>>;
}): BundleTabularColumn[] {
  return state.encodings.map(({ column, offset, mean, std }): BundleTabularColumn => {
    if (column.kind === 'categorical')
      return { name: column.name, type: 'categorical', offset, categories: [...column.categories] };
    if (column.kind === 'binary')
      return { name: column.name, type: 'binary', offset, values: [column.values[0], column.values[1]] };
    const decimals = state.decimals?.[column.name];
    return {
      name: column.name,
      type: 'continuous',
      offset,
      mean,
      std,
      ...(decimals !== undefined ? { decimals } : {}),
    };
  });
}
