// "Ours" without onnxruntime-web: @vae/core's reference interpreter (plain JS, Float32Array kernels)
// running the same decoder.onnx. No wasm to fetch or compile, so it can draw the first picture.
import { fromOnnx, interpret } from '@vae/core';
import { LATENT } from './common';
import type { Decoder } from './ours';

export function interpreterDecoder(onnx: Uint8Array): Decoder {
  const m = fromOnnx(onnx);
  const out = Object.values(m.outputs)[0]!;
  return {
    decode: async (z, n) =>
      interpret(m.graph, [out], { z: { dtype: 'float32', shape: [n, LATENT], data: z } })[0]!
        .data as Float32Array,
    release: async () => {},
  };
}

export async function createInterpreter(url: string): Promise<Decoder> {
  const r = await fetch(url);
  return interpreterDecoder(new Uint8Array(await r.arrayBuffer()));
}
