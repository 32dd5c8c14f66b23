/**
 * The upload box of image bundles (grey or colour): a picked or dropped PNG/JPEG is centre-cropped
 * to the bundle's aspect ratio, resized to its H x W, turned into model input (as the drawing pad's
 * is), encoded, reconstructed from the posterior mean and scored. Its posterior mean becomes the
 * chosen point, which the latent map rings.
 */
import { InferError } from '@vae/infer-web';
import type { App } from '../app';
import { fitScale, h, paint, panel, pixelCanvas } from '../dom';
import { isBundleDrop } from '../dropped-files';
import { coverResize } from '../image-fit';
import { pixelsToInput } from '../image-input';
import { scoreSettings, scoreText } from '../metrics';
import { scoreHistogram } from './score-histogram';

/** On-screen size (px) of the input and reconstruction. */
const BOX = 160;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Whether a drag holds files that all say they are pictures (types are readable while dragging). */
function holdsPictures(dt: DataTransfer | null): dt is DataTransfer {
  const files = Array.from(dt?.items ?? []).filter((i) => i.kind === 'file');
  return files.length > 0 && files.every((i) => i.type.startsWith('image/'));
}

export function uploadView(app: App): HTMLElement {
  const file = h('input', { id: 'upload-file', type: 'file', accept: 'image/png,image/jpeg' });
  const zone = h(
    'label',
    { id: 'upload-drop', class: 'dropzone' },
    h('span', {}, 'Drop a PNG or JPEG here, or choose one: '),
    file,
  );
  const input = pixelCanvas('upload-input', 1, 1, BOX);
  const recon = pixelCanvas('upload-recon', 1, 1, BOX);
  const info = h('output', { id: 'upload-info', 'aria-live': 'polite' }, 'no image yet');
  const context = h('p', { id: 'upload-context', class: 'note' });
  const how = h('p', { id: 'upload-how', class: 'note' });
  const hist = scoreHistogram('upload-hist');
  let picture: { bitmap: ImageBitmap; name: string } | null = null;
  let version = 0;

  async function analyse(): Promise<void> {
    const g = app.geometry();
    if (!app.model || !g || !picture) return;
    const mine = ++version;
    const { bitmap, name } = picture;
    const scale = fitScale(g.w, g.h, BOX);
    try {
      const x = pixelsToInput(coverResize(bitmap, g.w, g.h), g, app.m.manifest.data);
      const shown = app.tile(x, 1, 1, 0);
      paint(input, shown.rgba, shown.width, shown.height, scale);
      const r = await app.m.reconstruct(x, app.cond());
      const { k, seed } = scoreSettings(app.m.manifest); // the test scores' measure
      const s = await app.m.score(x, k, seed, app.cOpt());
      const p = await app.picture(r.params);
      if (mine !== version) return; // a newer image or model superseded this one
      paint(recon, p.rgba, p.width, p.height, scale);
      const nats = s[0]!;
      const t = scoreText(app.m.manifest, nats, k);
      info.value = `${name} (${bitmap.width}x${bitmap.height}): ${t.score}`;
      context.textContent = t.context;
      hist.show(app.m.manifest, nats, 'your image');
      recon.dataset.score = String(nats);
      recon.dataset.rendered = String(mine);
      app.setPoint(r.loc, `the uploaded ${name}`);
    } catch (e) {
      app.fail('Encoding the uploaded image failed', e);
    }
  }

  async function take(f: File): Promise<void> {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(f);
    } catch (e) {
      const why = `${f.name}: not a PNG or JPEG image this browser can decode`;
      app.fail('Could not read the image', new InferError('input', why, undefined, { cause: e }));
      return;
    }
    picture?.bitmap.close();
    picture = { bitmap, name: f.name };
    await analyse();
  }

  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f) void take(f);
    file.value = '';
  });
  zone.addEventListener('dragover', (e) => {
    if (!holdsPictures(e.dataTransfer)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    zone.classList.remove('over');
    // A bundle dropped here is the page's (source.ts) to load; anything else is ours to decode.
    if (!e.dataTransfer || isBundleDrop(e.dataTransfer)) return;
    e.preventDefault(); // claims the drop: the page's bundle drop skips cancelled events
    const files = Array.from(e.dataTransfer.files);
    const f = files.find((x) => x.type.startsWith('image/')) ?? files[0];
    if (f) void take(f);
  });

  const root = panel(
    'upload',
    'Upload an image',
    zone,
    h(
      'div',
      { class: 'row' },
      h('div', { class: 'stack' }, h('span', {}, 'model input'), input),
      h('div', { class: 'stack' }, h('span', {}, 'reconstruction'), recon),
    ),
    h('p', {}, info),
    context,
    hist.root,
    how,
  );
  root.hidden = true;
  app.on('model', (model) => {
    const img = model.manifest.data.image;
    root.hidden = !img || (img.channels !== 1 && img.channels !== 3);
    if (!img) return;
    const d = gcd(img.width, img.height);
    how.textContent =
      `The picture is centre-cropped to the model's aspect ratio (W:H ${img.width / d}:${img.height / d}) ` +
      `and resized to ${img.height}x${img.width} (HxW), as vae train --size prepares images` +
      (img.channels === 1 ? ', then turned grey (BT.601 luma)' : '') +
      (model.manifest.data.binarized ? ' and binarised at 0.5' : '') +
      '; it is read in this tab, nothing is uploaded.';
    void analyse();
  });
  app.on('label', () => void analyse());
  return root;
}
