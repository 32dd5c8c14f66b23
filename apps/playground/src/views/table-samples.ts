/**
 * Sampled rows of a tabular bundle: batches of rows drawn with `sampleRows(n, seed)`, the first with
 * the chosen seed and each "Draw more" with the next one (so `vae sample --csv --seed S` writes
 * batch S). Clicking a row hands it to the row editor.
 */
import type { BundleTabularColumn, TabularRow } from '@vae/infer-web';
import type { App } from '../app';
import { h, panel } from '../dom';
import { headRow, valueRow } from './table-dom';

/** Rows per batch. */
export const ROWS_PER_DRAW = 10;

export function tableSamplesView(
  app: App,
  columnsOf: () => BundleTabularColumn[] | null,
  onPick: (row: TabularRow) => void,
) {
  const seed = h('input', { id: 'rows-seed', type: 'number', value: 1, min: 0, step: 1 });
  const more = h('button', { id: 'rows-more', type: 'button' }, `Draw ${ROWS_PER_DRAW} more`);
  const table = h('table', { id: 'rows-table', class: 'rows clickable' });
  const body = h('tbody');
  let rows: TabularRow[] = [];
  let batches = 0;
  let version = 0;

  /** Draws the next batch (or, with `restart`, the first one again) and renders the table. */
  async function draw(restart: boolean): Promise<void> {
    const columns = columnsOf();
    if (!columns || !app.model) return;
    const mine = ++version;
    if (restart) batches = 0;
    const s = (Number(seed.value) | 0) + batches;
    try {
      const batch = await app.m.sampleRows(ROWS_PER_DRAW, s);
      if (mine !== version) return; // a newer request superseded this one
      if (restart) {
        rows = [];
        table.replaceChildren(headRow(columns, '#'), body);
        body.replaceChildren();
      }
      batches++;
      for (const row of batch) {
        const tr = valueRow(columns, String(rows.length + 1), row);
        tr.dataset.seed = String(s);
        tr.tabIndex = 0; // keyboard: focus a row, Enter or Space edits it
        tr.addEventListener('click', () => onPick(row));
        tr.addEventListener('keydown', (e) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          onPick(row);
        });
        body.append(tr);
        rows.push(row);
      }
      table.dataset.rows = String(rows.length);
      table.dataset.rendered = String(mine);
      if (restart && rows[0]) onPick(rows[0]);
    } catch (e) {
      app.fail('Sampling rows failed', e);
    }
  }

  seed.addEventListener('change', () => void draw(true));
  more.addEventListener('click', () => void draw(false));
  app.on('model', () => void draw(true));

  return panel(
    'table-samples',
    'Sampled rows',
    h('div', { class: 'controls' }, h('label', {}, 'seed ', seed), more),
    h('div', { class: 'table-scroll' }, table),
    h(
      'p',
      { class: 'note' },
      'Each row is one draw of the model: z from the prior, then every cell from p(x | z). ' +
        'Click a row (or Tab to it and press Enter) to edit it below.',
    ),
  );
}
