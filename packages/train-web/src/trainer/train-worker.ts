/**
 * Module Web Worker entry of `@vae/train-web` (`@vae/train-web/worker`): `BrowserTrainer` starts it
 * by default; a page may start it itself, `new Worker(new URL('@vae/train-web/worker',
 * import.meta.url), { type: 'module' })`, and pass it to `new BrowserTrainer(worker)`.
 */
import type { MessageEndpoint } from './protocol';
import { serveTrainer } from './serve';

serveTrainer(globalThis as unknown as MessageEndpoint);
