// TensorFlow.js's wasm backend as the browser benches' peer pages start it (bench/browser's decoder
// and bench/browser-train's trainer): its three .wasm builds served by Vite, `threads` XNNPACK threads.

import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Starts the wasm backend asking for `threads` XNNPACK threads; returns the count it really uses
 * (tfjs caps it at navigator.hardwareConcurrency / 2 and ignores more without a word).
 */
export async function initTfjs(threads: number): Promise<number> {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to start');
  await tf.ready();
  return getThreadsCount();
}
