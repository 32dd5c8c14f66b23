/**
 * "Train here": train a VAE in this tab (@vae/train-web: the same step graphs as `vae train`, on
 * onnxruntime-web in a worker). Data, latent size and epochs; a live loss curve and a 4 x 4 sample
 * grid refreshed every epoch and every few seconds; Pause / Continue, Stop; a run stored in the
 * browser (OPFS) is offered for Resume after a reload. When training ends (or on "Use this model")
 * the exported bundle becomes the page's model, so every other view works on it.
 */
import type { App } from '../app';
import { h, panel } from '../dom';
import { datasetChoice } from '../train/dataset-choice';
import { lossCurve } from '../train/loss-curve';
import { recipeForm } from '../train/recipe-form';
import { GRID_N, sampleGrid } from '../train/sample-grid';
import { type RunState, TrainSession } from '../train/train-session';

/** Samples are redrawn at least this often while training runs (and after every epoch). */
const SAMPLE_EVERY_MS = 4000;
const SAMPLE_SEED = 1;

export function trainPanel(app: App): HTMLElement {
  const form = recipeForm();
  const data = datasetChoice((kind) => form.setModel(kind === 'csv' ? 'tabular' : 'mlp'));
  const button = (id: string, text: string) => h('button', { id, type: 'button' }, text);
  const start = button('train-start', 'Start');
  const pause = button('train-pause', 'Pause');
  const cont = button('train-continue', 'Continue');
  const stop = button('train-stop', 'Stop');
  const use = button('train-use', 'Use this model');
  const download = button('train-download', 'Download bundle');
  const resume = button('train-resume', 'Resume');
  const resumeText = h('span', { id: 'train-resume-text' });
  const resumeRow = h('p', { id: 'train-resume-row', class: 'note' }, resumeText, ' ', resume);
  resumeRow.hidden = true;
  const status = h('p', { id: 'train-status', class: 'status', role: 'status' }, 'Not training.');
  const curve = lossCurve('train-loss');
  const grid = sampleGrid('train-samples');
  const session = new TrainSession();
  let lastSamples = 0;
  let sampling = false;

  /** A new run's figures start empty (the tests read them from the status line's data-*). */
  const clearFigures = () => {
    for (const k of ['step', 'epoch', 'firstStep', 'checkpointStep']) delete status.dataset[k];
  };
  const setState = (s: RunState) => {
    status.dataset.state = s;
    const busy = s === 'starting' || s === 'running' || s === 'pausing' || s === 'exporting';
    start.disabled = busy || s === 'paused';
    pause.hidden = s === 'paused';
    pause.disabled = s !== 'running';
    cont.hidden = s !== 'paused';
    stop.disabled = !(busy || s === 'paused') || s === 'exporting';
    use.disabled = !session.hasModel() || busy;
    download.disabled = !session.bundle;
    form.disable(busy || s === 'paused');
    if (busy) resumeRow.hidden = true;
  };

  async function refreshSamples(caption: string): Promise<void> {
    if (sampling || !session.hasModel()) return;
    if (session.isTable()) {
      grid.note('A table’s samples are rows: see them in the table views once the model is in use.');
      return;
    }
    sampling = true;
    lastSamples = performance.now();
    try {
      const { samples, geometry } = await session.samples(GRID_N, SAMPLE_SEED);
      grid.show(samples, caption, geometry);
    } catch (e) {
      app.fail('Sampling the model being trained failed', e);
    } finally {
      sampling = false;
    }
  }

  async function adopt(): Promise<void> {
    try {
      const files = await session.exportBundle();
      download.disabled = false;
      if (await app.load(files, 'trained in this tab')) {
        status.dataset.loaded = String(Number(status.dataset.loaded ?? 0) + 1);
        status.textContent = `${session.summary()} The trained model is in use by every view on the page.`;
      }
    } catch (e) {
      app.fail('Exporting the trained model failed', e);
    }
  }

  session.on('state', setState);
  session.on('status', (text) => {
    status.textContent = text;
  });
  session.on('progress', (p) => {
    status.dataset.step = String(p.step);
    status.dataset.epoch = String(p.epoch);
    status.dataset.firstStep = String(session.losses().first);
    curve.draw(session.losses());
    if (performance.now() - lastSamples > SAMPLE_EVERY_MS)
      void refreshSamples(`after step ${p.step} (epoch ${p.epoch + 1})`);
  });
  session.on('epoch', (e) => void refreshSamples(`after epoch ${e.epoch} (step ${e.step})`));
  session.on('checkpoint', (step) => {
    status.dataset.checkpointStep = String(step);
  });
  session.on('done', async () => {
    await refreshSamples(`after training (step ${status.dataset.step ?? 0})`);
    await adopt();
  });
  session.on('error', (e) => app.fail('Training in this tab failed', e));

  start.addEventListener('click', async () => {
    let recipe: ReturnType<typeof form.recipe>;
    try {
      recipe = form.recipe();
    } catch (e) {
      status.textContent = (e as Error).message;
      return;
    }
    curve.draw({ first: 1, losses: [] });
    clearFigures();
    await session.start(recipe, () => data.data(), data.describe());
  });
  pause.addEventListener('click', () => void session.pause());
  cont.addEventListener('click', () => void session.continue());
  stop.addEventListener('click', () => void session.stop());
  use.addEventListener('click', () => void adopt());
  download.addEventListener('click', () => {
    session.download().catch((e) => app.fail('Saving the bundle failed', e));
  });
  resume.addEventListener('click', async () => {
    const run = session.stored;
    if (!run) return;
    if (run.recipe) form.set(run.recipe);
    clearFigures();
    await session.resume(run.runId);
    curve.draw(session.losses());
  });

  // After a reload: offer the newest stored run that has not finished.
  session.storedRun().then(
    (run) => {
      if (!run || status.dataset.state) return;
      resumeText.textContent = `A run trained in this browser stopped at step ${run.step} (${run.epoch} of ${run.epochs} epochs done).`;
      resumeRow.hidden = false;
    },
    () => undefined, // no storage here: nothing to resume
  );
  setState('idle');
  delete status.dataset.state;

  return panel(
    'train',
    'Train here',
    h(
      'p',
      { class: 'note' },
      'Train a VAE in this tab: no Node, no server, nothing uploaded. The run is stored in this ' +
        'browser as it goes, so it can be resumed after a reload.',
    ),
    data.element,
    form.element,
    h('div', { class: 'controls' }, start, pause, cont, stop, use, download),
    resumeRow,
    status,
    h('div', { class: 'row train-live' }, curve.element, grid.element),
  );
}
