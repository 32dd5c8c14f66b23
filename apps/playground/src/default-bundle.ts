/**
 * The page's first model: `?bundle=URL` when the address names one (its failure is shown), else the
 * default `./bundle/` when the server has one. A page served without a bundle (to train one with
 * "Train here", or to drop one) starts with no model and no error. `options` go to loadModel (the
 * start-up passes a fetch that shares the interpreter's responses).
 */
import type { LoadOptions } from '@vae/infer-web';
import type { App } from './app';

export async function loadFirst(app: App, asked: string | null, options: LoadOptions = {}): Promise<boolean> {
  if (asked !== null) return app.load(asked, asked, options);
  const url = './bundle/';
  const manifest = new URL(`${url}manifest.json`, location.href);
  // The start-up's shared fetch answers from the response index.html already has (one request, so
  // one 404 in the console when there is no bundle); a plain probe asks with HEAD.
  const probe = await (options.fetch ? options.fetch(manifest) : fetch(manifest, { method: 'HEAD' })).catch(
    () => null,
  );
  // Absent: a 404 (serve.mjs), or the dev server's index.html fallback (vite without VAE_BUNDLE).
  if (probe?.status === 404 || /text\/html/.test(probe?.headers.get('content-type') ?? '')) {
    app.busy(null); // the source line says that no model is loaded
    return false;
  }
  return app.load(url, url, options);
}
