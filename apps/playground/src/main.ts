/** The playground: loads a bundle (?bundle=URL, default ./bundle/, or dropped files) and wires the views. */
import { App } from './app';
import { h } from './dom';
import { installTestHook } from './test-hook';
import { drawPadView } from './views/draw-pad';
import { errorPanel } from './views/error-panel';
import { interpolateView } from './views/interpolate';
import { labelsView } from './views/labels';
import { latentMapView } from './views/latent-map';
import { readoutView } from './views/readout';
import { samplesView } from './views/samples';
import { slidersView } from './views/sliders';
import { installDrop, sourceView } from './views/source';
import { tableViews } from './views/table-views';
import { uploadView } from './views/upload';
import './style.css';

const app = new App();
const root = document.querySelector<HTMLElement>('#app') ?? document.body;
root.replaceChildren(
  h('header', {}, h('h1', {}, 'vae playground'), readoutView(app)),
  errorPanel(app),
  sourceView(app),
  labelsView(app),
  h(
    'div',
    { class: 'views' },
    h('div', { class: 'column' }, samplesView(app), latentMapView(app)),
    h('div', { class: 'column' }, interpolateView(app), slidersView(app), drawPadView(app), uploadView(app)),
  ),
  tableViews(app), // tabular bundles: shown instead of the picture views
);
installDrop(app, root);

// Start loading at once: the bundle fetch, the ORT chunk and its wasm (preloaded by index.html) overlap.
const url = new URLSearchParams(location.search).get('bundle') ?? './bundle/';
installTestHook(app, app.load(url, url));
