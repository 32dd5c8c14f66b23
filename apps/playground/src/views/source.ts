/**
 * Where bundles come from: the line with the bundle's facts (or why there is no model), a file
 * picker and drag-and-drop.
 */
import type { App } from '../app';
import { h } from '../dom';
import { droppedFiles } from '../dropped-files';
import { helpTip } from '../help';
import { metricFacts } from '../metrics';

/** Loads files dropped anywhere on the page (a bundle folder's files; nothing is uploaded). */
export function installDrop(app: App, target: HTMLElement): void {
  const over = (on: boolean) => target.classList.toggle('dragging', on);
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    over(true);
  });
  document.addEventListener('dragleave', (e) => {
    if (e.target === document.documentElement || !e.relatedTarget) over(false);
  });
  document.addEventListener('drop', (e) => {
    over(false);
    // A view that takes its own drops (the upload box) cancels the event on its way up.
    if (e.defaultPrevented || !e.dataTransfer) return;
    e.preventDefault();
    droppedFiles(e.dataTransfer).then(
      (files) => {
        if (files.length > 0) void app.load(files, `${files.length} dropped files`);
      },
      (err) => app.fail('Could not read the dropped files', err),
    );
  });
}

export function sourceView(app: App): HTMLElement {
  const info = h('span', { id: 'bundle-info' });
  const status = h('span', { id: 'status', class: 'status', role: 'status' });
  // What −ELBO means, once there are figures to explain.
  const [help, tip] = helpTip('elbo');
  help.hidden = true;
  const picker = h('input', { id: 'bundle-files', type: 'file', multiple: true });
  picker.addEventListener('change', () => {
    const files = picker.files;
    if (files && files.length > 0) void app.load(Array.from(files), `${files.length} chosen files`);
    picker.value = '';
  });
  app.on('busy', (text) => {
    status.textContent = text ?? '';
    // Whatever failed is in the error panel; this line only says that nothing is loaded.
    if (text === null && !app.model)
      info.textContent =
        'No model loaded: drop a bundle folder on the page, choose its files, or train one in Train here below.';
  });
  app.on('model', (model) => {
    const m = model.manifest;
    const facts = [
      `latent ${m.latent}`,
      `prior ${m.prior.type}`,
      `likelihood ${m.likelihood.type}`,
      m.condition ? `conditional (${m.condition.size} labels)` : 'unconditional',
      m.dtype,
      ...(m.data.image
        ? []
        : m.data.kind === 'tabular'
          ? [`tabular data (${m.likelihood.type === 'tabular' ? m.likelihood.columns.length : 0} columns)`]
          : [`${m.data.kind} data: the picture views stay empty`]),
      ...metricFacts(m),
    ];
    info.textContent = `${app.source}: ${facts.join(' · ')}`;
    help.hidden = false;
    info.dataset.latent = String(m.latent);
  });
  return h(
    'div',
    { class: 'source' },
    h('p', { class: 'facts' }, info, status, ' ', help, tip),
    h(
      'p',
      { class: 'note' },
      'Drop a bundle folder (or its files: manifest.json, encoder.onnx, decoder.onnx, latent-map.bin) anywhere on the page, or ',
      h('label', {}, 'choose the files ', picker),
      '. They are read in this tab; nothing is uploaded.',
    ),
  );
}
