/**
 * Settles in a new macrotask, so messages queued for this worker (pause, stop, samples) are handled
 * there. Training awaits only microtasks otherwise: onnxruntime-web's wasm runs settle without
 * ever giving the event loop a turn, and a `stop` would wait for the run to end. A MessageChannel
 * round trip, not `setTimeout(0)`, which browsers clamp to 4 ms once nested.
 */
export function yieldTask(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
