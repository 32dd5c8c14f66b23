/**
 * One editable row of a tabular bundle, with its reconstruction (`reconstructRows`: encoded to the
 * posterior mean, decoded) and its imputation (`imputeRows`: blank cells filled with E[x | x_obs],
 * as `vae impute`; filled cells are marked). Start from a sampled row or type values; clear a cell
 * to blank it.
 */
import {
  type BundleTabularColumn,
  formatTabularValue,
  type TabularRow,
  type TabularRowInput,
} from '@vae/infer-web';
import type { App } from '../app';
import { h, panel } from '../dom';
import { headRow, valueRow } from './table-dom';

type CellInput = HTMLInputElement | HTMLSelectElement;

/** An input for one column: a number box, or a menu of its values with a blank first entry. */
function cellInput(c: BundleTabularColumn): CellInput {
  const attrs = { 'data-column': c.name, 'aria-label': c.name, class: 'cell-input' };
  if (c.type === 'continuous') return h('input', { ...attrs, type: 'number', step: 'any' });
  const names = c.type === 'categorical' ? c.categories : c.values;
  return h(
    'select',
    attrs,
    h('option', { value: '' }, '(blank)'),
    ...names.map((v) => h('option', { value: v }, v)),
  );
}

export function tableEditorView(app: App, columnsOf: () => BundleTabularColumn[] | null) {
  const table = h('table', { id: 'row-table', class: 'rows' });
  const blank = h('button', { id: 'row-blank', type: 'button' }, 'Blank 2 cells');
  let inputs: CellInput[] = [];
  let columns: BundleTabularColumn[] = [];
  let version = 0;

  /** The typed row: blank inputs are missing cells. */
  const current = (): TabularRowInput =>
    Object.fromEntries(
      columns.map((c, j) => {
        const v = inputs[j]!.value.trim();
        return [c.name, v === '' ? null : c.type === 'continuous' ? Number(v) : v];
      }),
    );

  async function update(): Promise<void> {
    if (!app.model || columns.length === 0) return;
    const mine = ++version;
    const row = current();
    try {
      const [recon] = await app.m.reconstructRows([row]);
      const [filled] = await app.m.imputeRows([row]);
      if (mine !== version) return;
      const missing = (name: string) => row[name] === null;
      const body = table.tBodies[0]!;
      body.querySelector('#row-recon')?.remove();
      body.querySelector('#row-imputed')?.remove();
      const r = valueRow(columns, 'reconstruction', recon!);
      const f = valueRow(columns, 'imputed', filled!, missing);
      r.id = 'row-recon';
      f.id = 'row-imputed';
      body.append(r, f);
      table.dataset.blanks = String(columns.filter((c) => missing(c.name)).length);
      table.dataset.rendered = String(mine);
    } catch (e) {
      app.fail('Reconstructing the row failed', e);
    }
  }

  /** Rebuilds the table for the loaded bundle's columns. */
  function build(): void {
    columns = columnsOf() ?? [];
    inputs = columns.map(cellInput);
    for (const input of inputs) input.addEventListener('change', () => void update());
    const edit = h(
      'tr',
      { id: 'row-input' },
      h('th', { scope: 'row' }, 'your row'),
      ...inputs.map((i) => h('td', {}, i)),
    );
    table.replaceChildren(headRow(columns), h('tbody', {}, edit));
  }

  /** Puts a row (e.g. a sampled one) into the inputs, written as the tables show it. */
  function setRow(row: TabularRow): void {
    columns.forEach((c, j) => {
      const v = row[c.name];
      inputs[j]!.value = v === undefined ? '' : formatTabularValue(c, v);
    });
    void update();
  }

  blank.addEventListener('click', () => {
    const filled = inputs.filter((i) => i.value !== '');
    for (let k = 0; k < 2 && filled.length > 0; k++)
      filled.splice(Math.floor(Math.random() * filled.length), 1)[0]!.value = '';
    void update();
  });
  app.on('model', build);

  const element = panel(
    'table-row',
    'A row: reconstruction and imputation',
    h('div', { class: 'controls' }, blank),
    h('div', { class: 'table-scroll' }, table),
    h(
      'p',
      { class: 'note' },
      'Edit the row, or click a sampled row. The reconstruction encodes the row (blank cells masked) ' +
        'and decodes its posterior mean; imputation keeps what you typed and fills blank cells ' +
        '(highlighted) with their expected value given the rest, from 100 weighted posterior draws.',
    ),
  );
  return { element, setRow };
}
