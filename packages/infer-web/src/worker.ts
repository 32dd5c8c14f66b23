/**
 * Module Web Worker entry of `@vae/infer-web`: `new Worker(new URL('@vae/infer-web/worker', import.meta.url),
 * { type: 'module' })`, then `loadModel(source, { worker })`. It serves the model protocol on `self`.
 */
import { serveModel } from './worker-host';
import type { MessageEndpoint } from './worker-protocol';

serveModel(globalThis as unknown as MessageEndpoint);
