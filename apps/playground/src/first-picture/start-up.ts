/**
 * The page's start: the first picture from @vae/core's interpreter, then the onnxruntime-web model.
 *
 * onnxruntime-web needs its 14 MB wasm fetched, compiled and instantiated before it decodes anything
 * (~0.7 s on a cold 2-core machine); the interpreter needs only the decoder and data-mean graphs. So
 * those are read and checked (manifest schema, their SHA-256), the prior-samples grid is decoded by
 * the interpreter from them and painted, and only then is onnxruntime-web started (its instantiation
 * and session creation block the main thread); its load reads the same responses and checks every
 * file. index.html starts the downloads (the wasm, and the first picture's files: shared-fetch.ts).
 * Any failure of the interpreter path just leaves the picture to onnxruntime-web, which reports
 * errors as before.
 */
import { previewSamples, readPreview } from '@vae/infer-web';
import type { App } from '../app';
import { loadFirst } from '../default-bundle';
import type { ViewState } from '../view-state';
import { SAMPLES_N } from '../views/samples';
import { sharedFetch } from './shared-fetch';

/** Decodes and shows the first grid with the interpreter; false when it does not apply or fails. */
async function interpreterPicture(app: App, url: string, fetcher: typeof fetch, initial: ViewState) {
  try {
    const bundle = await readPreview(url, fetcher);
    performance.mark('vae:bundle-read');
    if (!bundle) return false;
    const m = bundle.manifest;
    const size = m.condition?.size ?? 0;
    const label = initial.label !== undefined && initial.label < size ? initial.label : 0;
    const s = previewSamples(bundle, SAMPLES_N, app.seed, {
      temperature: app.temperature,
      ...(size > 0 ? { c: label } : {}),
    });
    performance.mark('vae:interpreted');
    app.preview({ manifest: m, seed: app.seed, temperature: app.temperature, label, ...s });
    return true;
  } catch (e) {
    console.warn('first picture by the interpreter skipped:', e);
    return false;
  }
}

/** A rendering opportunity: the painted grid reaches the screen before onnxruntime-web blocks the thread. */
const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/**
 * Shows the first picture (interpreter) and then loads the first model (onnxruntime-web, as
 * {@link loadFirst}); resolves as loadFirst does: true when a model is in use.
 */
export async function startUp(app: App, asked: string | null, initial: ViewState): Promise<boolean> {
  const shared = sharedFetch();
  // `?first-picture=ort` leaves the first picture to onnxruntime-web (the benchmark's comparison).
  const interpreter = new URLSearchParams(location.search).get('first-picture') !== 'ort';
  if (interpreter && (await interpreterPicture(app, asked ?? './bundle/', shared.fetch, initial)))
    await nextFrame();
  try {
    const ok = await loadFirst(app, asked, { fetch: shared.fetch });
    // A failed load shows no picture views (style.css), the first picture included.
    if (!ok) delete document.documentElement.dataset.firstPicture;
    return ok;
  } finally {
    shared.clear();
  }
}
