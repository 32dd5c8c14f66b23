/**
 * The series view for series bundles (`data.kind: 'series'`): a pasted or uploaded CSV with the
 * bundle's columns is cut into windows (window and stride from the manifest), each window is
 * reconstructed (`reconstructWindows`) and scored (`scoreWindows`); the plots show every column with
 * its reconstruction (averaged over the windows covering a step) and the per-step anomaly score
 * (each window's `steps` averaged the same way, as `vae score` does).
 */
import type { BundleSeries } from '@vae/infer-web';
import type { App } from '../app';
import { h, panel } from '../dom';
import { averageOverWindows, cutWindows, readSeriesCsv } from './series-csv';
import { linePlot } from './series-plot';
import './sequence.css';

/** Posterior draws per window for the score, and its key. */
const SCORE_DRAWS = 8;
const SCORE_KEY = 1;

export function seriesViews(app: App): HTMLElement {
  const csv = h('textarea', { id: 'series-csv', rows: 8, spellcheck: false });
  const file = h('input', { id: 'series-file', type: 'file', accept: '.csv,text/csv' });
  const go = h('button', { id: 'series-run', type: 'button' }, 'Reconstruct and score');
  const pick = h('input', { id: 'series-window', type: 'number', value: 0, min: 0, step: 1 });
  const what = h('p', { id: 'series-columns', class: 'note' });
  const plots = h('div', { id: 'series-plots', class: 'series-plot' });
  const legend = h(
    'p',
    { class: 'series-legend note' },
    h('span', { class: 'data' }, '— the series'),
    '  ',
    h('span', { class: 'recon' }, '- - reconstruction'),
    '; the shaded band is the chosen window.',
  );
  let runs = 0;

  const series = (): BundleSeries | undefined =>
    app.model?.manifest.data.kind === 'series' ? app.model.manifest.data.series : undefined;

  async function run(): Promise<void> {
    const s = series();
    if (!s || csv.value.trim() === '') return;
    const mine = ++runs;
    try {
      const table = readSeriesCsv(csv.value, s.columns);
      const { starts, windows } = cutWindows(table, s);
      const C = s.columns.length;
      const rec = await app.m.reconstructWindows(windows);
      const score = await app.m.scoreWindows(windows, SCORE_KEY, SCORE_DRAWS);
      if (mine !== runs) return;
      const k = Math.min(Math.max(0, Number(pick.value) | 0), starts.length - 1);
      pick.max = String(starts.length - 1);
      const band: [number, number] = [starts[k]!, starts[k]! + s.window];
      const charts = s.columns.map((name, c) => {
        const per = new Float32Array(starts.length * s.window);
        starts.forEach((_, i) =>
          per.set(rec.windows.subarray((i * C + c) * s.window, (i * C + c + 1) * s.window), i * s.window),
        );
        const recon = averageOverWindows(per, starts, s.window, table.steps);
        return linePlot(
          name,
          [
            { values: table.values[c]!, cls: 'data' },
            { values: recon, cls: 'recon' },
          ],
          band,
        );
      });
      const steps = averageOverWindows(score.steps, starts, s.window, table.steps);
      charts.push(linePlot('anomaly score per step (nats)', [{ values: steps, cls: 'score' }], band));
      plots.replaceChildren(...charts);
      const chosen = rec.windows.subarray(k * C * s.window, (k + 1) * C * s.window);
      plots.dataset.window = String(k);
      plots.dataset.windowStart = String(starts[k]);
      plots.dataset.recon = JSON.stringify(Array.from(chosen));
      plots.dataset.windows = String(starts.length);
      plots.dataset.rendered = String(mine);
    } catch (e) {
      app.fail('Reading the series failed', e);
    }
  }

  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    csv.value = await f.text();
    void run();
  });
  go.addEventListener('click', () => void run());
  pick.addEventListener('change', () => void run());
  app.on('model', () => {
    const s = series();
    what.textContent = s
      ? `Columns ${s.columns.join(', ')}; windows of ${s.window} steps every ${s.stride}.`
      : '';
    plots.replaceChildren();
    void run();
  });

  return h(
    'div',
    { class: 'series-views' },
    panel(
      'series-input',
      'Series',
      what,
      h('label', { for: 'series-csv' }, 'Paste a CSV with a header row (one row per time step)'),
      csv,
      h(
        'div',
        { class: 'controls' },
        h('label', {}, 'or upload a CSV ', file),
        h('label', {}, 'window ', pick),
        go,
      ),
    ),
    panel('series-output', 'Reconstruction and anomaly score', plots, legend),
  );
}
