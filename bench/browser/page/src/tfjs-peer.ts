// The peer: the same decoder written in TensorFlow.js on its wasm backend, with the fused matMul
// (bias + relu in one kernel) that tf.layers' Dense uses.

import * as tf from '@tensorflow/tfjs-core';

import { LATENT } from './common';
import type { Decoder } from './ours';

// The backend's start is shared with the other browser bench (bench/lib/tfjs-wasm.ts).
export { initTfjs } from '../../../lib/tfjs-wasm';

interface WeightEntry {
  name: string;
  shape: number[];
  offset: number;
}

export async function createTfjs(base = '/models/'): Promise<Decoder> {
  const [manifest, bin] = await Promise.all([
    fetch(`${base}decoder-weights.json`).then((r) => r.json() as Promise<WeightEntry[]>),
    fetch(`${base}decoder-weights.bin`).then((r) => r.arrayBuffer()),
  ]);
  const all = new Float32Array(bin);
  const w = Object.fromEntries(
    manifest.map((e) => {
      const size = e.shape.reduce((a, b) => a * b, 1);
      return [e.name, tf.tensor(all.subarray(e.offset, e.offset + size), e.shape)];
    }),
  );
  const [w0, b0, w1, b1] = ['dec.0.weight', 'dec.0.bias', 'dec.2.weight', 'dec.2.bias'].map((k) => w[k]!) as [
    tf.Tensor2D,
    tf.Tensor1D,
    tf.Tensor2D,
    tf.Tensor1D,
  ];
  return {
    async decode(z, n) {
      const x = tf.tensor2d(z, [n, LATENT]);
      const y = tf.tidy(() => {
        const h = tf.fused.matMul({ a: x, b: w0, bias: b0, activation: 'relu' });
        return tf.fused.matMul({ a: h, b: w1, bias: b1 });
      });
      const out = y.dataSync() as Float32Array;
      x.dispose();
      y.dispose();
      return out;
    },
    async release() {
      tf.dispose(Object.values(w));
    },
  };
}
