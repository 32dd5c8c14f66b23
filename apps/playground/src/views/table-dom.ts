/** Tables of rows in user units: a header of column names, cells written as the CLI writes them. */
import {
  type BundleTabularColumn,
  formatTabularValue,
  type TabularRow,
  type TabularValue,
} from '@vae/infer-web';
import { h } from '../dom';

/** A header row: an optional first label cell, then the column names. */
export function headRow(columns: readonly BundleTabularColumn[], first = ''): HTMLTableSectionElement {
  return h(
    'thead',
    {},
    h(
      'tr',
      {},
      first ? h('th', {}, first) : h('td'),
      ...columns.map((c) => h('th', { scope: 'col', title: kindOf(c) }, c.name)),
    ),
  );
}

/** What a column holds, for its header's tooltip. */
function kindOf(c: BundleTabularColumn): string {
  if (c.type === 'continuous')
    return `number (training mean ${c.mean.toPrecision(4)}, sd ${c.std.toPrecision(3)})`;
  if (c.type === 'binary') return `one of ${c.values.join(', ')}`;
  return `one of ${c.categories.join(', ')}`;
}

/**
 * One cell: the formatted value, with the raw value in `data-value` (full precision, for tests) and
 * `data-column`. `imputed` marks a value the model filled in.
 */
export function valueCell(
  column: BundleTabularColumn,
  value: TabularValue,
  imputed = false,
): HTMLTableCellElement {
  const td = h(
    'td',
    {
      'data-column': column.name,
      'data-value': String(value),
      class: imputed ? 'imputed' : undefined,
      title: imputed ? 'imputed by the model' : undefined,
    },
    formatTabularValue(column, value),
  );
  if (typeof value === 'number') td.classList.add('num');
  return td;
}

/** A body row: a label cell, then one cell per column (`imputed(name)` marks filled cells). */
export function valueRow(
  columns: readonly BundleTabularColumn[],
  label: string,
  row: TabularRow,
  imputed: (name: string) => boolean = () => false,
): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h('th', { scope: 'row' }, label),
    ...columns.map((c) => valueCell(c, row[c.name]!, imputed(c.name))),
  );
}
