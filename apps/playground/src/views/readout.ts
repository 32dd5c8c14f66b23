/** A small readout of the runtime: backend, threads, load time and the latest decode latencies. */
import type { App } from '../app';
import { h, ms } from '../dom';

export function readoutView(app: App): HTMLElement {
  const out = h('output', { id: 'readout', 'aria-live': 'polite' }, 'no model loaded');
  const render = () => {
    const m = app.model;
    if (!m) return;
    const t = app.timings;
    out.dataset.threads = String(m.threads);
    out.dataset.backend = m.backend;
    if (t.load !== undefined) out.dataset.loadMs = String(t.load);
    if (t.single !== undefined) out.dataset.singleMs = String(t.single);
    if (t.grid !== undefined) out.dataset.gridMs = String(t.grid);
    const parts = [
      `${m.backend} · ${m.threads} thread${m.threads === 1 ? '' : 's'}`,
      `cross-origin isolated: ${globalThis.crossOriginIsolated ? 'yes' : 'no'}`,
      t.load !== undefined ? `load ${ms(t.load)} ms` : '',
      t.single !== undefined ? `decode 1: ${ms(t.single)} ms` : '',
      t.grid !== undefined ? `decode ${t.gridN}: ${ms(t.grid)} ms` : '',
    ];
    out.value = parts.filter(Boolean).join(' · ');
  };
  app.on('model', render);
  app.on('timing', render);
  return h('div', { class: 'readout' }, out);
}
