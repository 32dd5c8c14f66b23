/**
 * Table views for tabular bundles: sampled rows, and one row's reconstruction and imputation. They
 * replace the picture views: the page's root gets `data-data-kind` (the bundle's `data.kind`, set by
 * main.ts before any view hears of the model), and table.css shows one set or the other.
 */
import type { BundleTabularColumn } from '@vae/infer-web';
import type { App } from '../app';
import { h } from '../dom';
import { tableEditorView } from './table-editor';
import { tableSamplesView } from './table-samples';
import './table.css';

/** The loaded bundle's column schema, when it has one. */
function columnsOf(app: App): BundleTabularColumn[] | null {
  return app.model?.manifest.data.tabular?.columns ?? null;
}

export function tableViews(app: App): HTMLElement {
  const editor = tableEditorView(app, () => columnsOf(app));
  const samples = tableSamplesView(app, () => columnsOf(app), editor.setRow);
  const note = h('p', { id: 'table-schema-missing', class: 'note', hidden: true });
  app.on('model', (m) => {
    const old = m.manifest.data.kind === 'tabular' && !m.manifest.data.tabular;
    note.hidden = !old;
    note.textContent = old
      ? 'This tabular bundle has no column schema (it was exported before bundles carried one): ' +
        're-export it with `vae export --force` to see its rows.'
      : '';
  });
  return h('div', { class: 'table-views' }, note, samples, editor.element);
}
