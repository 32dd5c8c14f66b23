/**
 * The page's first model: `?bundle=URL` when the address names one (its failure is shown), else the
 * default `./bundle/` when the server has one. A page served without a bundle (to train one with
 * "Train here", or to drop one) starts with no model and no error.
 */
import type { App } from './app';

export async function loadFirst(app: App, asked: string | null): Promise<boolean> {
  if (asked !== null) return app.load(asked, asked);
  const url = './bundle/';
  const probe = await fetch(new URL(`${url}manifest.json`, location.href), { method: 'HEAD' }).catch(
    () => null,
  );
  // Absent: a 404 (serve.mjs), or the dev server's index.html fallback (vite without VAE_BUNDLE).
  if (probe?.status === 404 || /text\/html/.test(probe?.headers.get('content-type') ?? '')) {
    app.busy(null); // the source line says that no model is loaded
    return false;
  }
  return app.load(url, url);
}
