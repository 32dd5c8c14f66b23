/** The worker side of the protocol: loads one model and answers calls on it. */
import { InferError, toInferError } from './errors';
import { loadLocal } from './load';
import type { LocalModel } from './model';
import type { LoadedInfo, MessageEndpoint, WorkerRequest, WorkerResponse } from './worker-protocol';
import { transferables } from './worker-protocol';

/** Serves the model protocol on `scope` (a worker's `self`, or one end of a MessageChannel). */
export function serveModel(scope: MessageEndpoint): void {
  let model: LocalModel | undefined;
  const reply = (r: WorkerResponse) => scope.postMessage(r, r.ok ? transferables(r.value) : []);
  scope.addEventListener('message', async (e: MessageEvent) => {
    const req = e.data as WorkerRequest;
    try {
      let value: unknown;
      if (req.type === 'load') {
        await model?.dispose();
        model = await loadLocal(req.source, req.options);
        const info: LoadedInfo = {
          manifest: model.manifest,
          backend: model.backend,
          threads: model.threads,
          ...(model.fallback ? { fallback: model.fallback } : {}),
        };
        value = info;
      } else {
        if (!model) throw new InferError('worker', 'no model is loaded in this worker');
        const fn = model[req.method] as (...args: unknown[]) => Promise<unknown>;
        value = await fn.apply(model, req.args);
      }
      reply({ id: req.id, ok: true, value });
    } catch (err) {
      const ie = toInferError(err, 'worker');
      reply({
        id: req.id,
        ok: false,
        error: { reason: ie.reason, message: ie.message, ...(ie.path ? { path: ie.path } : {}) },
      });
    }
  });
}
