/**
 * The playground: loads a bundle (?bundle=URL, default ./bundle/, or dropped files) and wires the
 * views; ?seed=, ?t=, ?z= and ?label= restore a shared view (view-state.ts).
 */
import { App } from './app';
import { h } from './dom';
import { markModelInUse } from './first-picture/marks';
import { startUp } from './first-picture/start-up';
import { installTestHook } from './test-hook';
import { readViewState } from './view-state';
import { drawPadView } from './views/draw-pad';
import { errorPanel } from './views/error-panel';
import { interpolateView } from './views/interpolate';
import { introView } from './views/intro';
import { labelsView } from './views/labels';
import { latentMapView } from './views/latent-map';
import { readoutView } from './views/readout';
import { samplesView } from './views/samples';
import { seriesViews } from './views/series-views';
import { shareView } from './views/share';
import { slidersView } from './views/sliders';
import { installDrop, sourceView } from './views/source';
import { tableViews } from './views/table-views';
import { textViews } from './views/text-views';
import { trainPanel } from './views/train-panel';
import { uploadView } from './views/upload';
import './style.css';
import './widgets.css';
import './train/train.css';

performance.mark('vae:entry'); // the entry module runs (its imports are evaluated)
const initial = readViewState(location.search);
const app = new App(initial);
// First of all listeners, so every view renders into a visible container: style.css and table.css
// show the picture or the table views by the bundle's data kind (neither before a model loads).
app.on('model', (m) => {
  document.documentElement.dataset.dataKind = m.manifest.data.kind;
  markModelInUse();
});
const root = document.querySelector<HTMLElement>('#app') ?? document.body;
root.replaceChildren(
  h('header', {}, h('h1', {}, 'vae playground'), readoutView(app)),
  introView(),
  errorPanel(app),
  h('div', { class: 'source-row' }, sourceView(app), shareView(app)),
  labelsView(app),
  h(
    'div',
    { class: 'views' },
    h('div', { class: 'column' }, samplesView(app), latentMapView(app)),
    h('div', { class: 'column' }, interpolateView(app), slidersView(app), drawPadView(app), uploadView(app)),
  ),
  tableViews(app), // tabular bundles: shown instead of the picture views
  textViews(app), // text bundles (sequence.css shows them by data kind)
  seriesViews(app), // series bundles
  trainPanel(app), // "Train here": shown with or without a model, last in the Tab order
);
installDrop(app, root);

// Start loading at once: the first picture comes from the interpreter while ORT's wasm (preloaded by
// index.html) downloads; then the model loads on onnxruntime-web (first-picture/start-up.ts).
installTestHook(app, startUp(app, new URLSearchParams(location.search).get('bundle'), initial));
