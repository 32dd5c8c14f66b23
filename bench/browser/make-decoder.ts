// Builds the 20-400-784 MLP decoder with @vae/core and writes it, plus bench-only variants and the raw
// weights for the TensorFlow.js peer, to page/public/models/.
//   tsx --conditions=@vae/source bench/browser/make-decoder.ts
// Untrained (init from key(0)) weights: timing does not depend on them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createBundle,
  decodeModel,
  encodeModel,
  type HostTensor,
  key,
  mlpVAE,
  toOnnx,
  type VAE,
} from '@vae/core';
import {
  fp16Compute,
  fp16Storage,
  int8Dynamic,
  pruneInitializers,
  toGemm,
  transposedLast,
} from './onnx-variants';

export const LATENT = 20;
export const HIDDEN = 400;
export const OUT = 784;

export const modelsDir = join(dirname(fileURLToPath(import.meta.url)), 'page', 'public', 'models');

/** The decoder as core lowers it (toOnnx), and the bench-only variants of it, by file name. */
export function decoderVariants(vae: VAE, params: Record<string, HostTensor>) {
  const { graph, outputs } = vae.roleGraph('decoder');
  const lowered = toOnnx(graph, { outputs, bind: params });
  // The one deviation from core's bytes: initializers no node reads (the encoder's) are dropped.
  const core = pruneInitializers(decodeModel(lowered));
  const variants = {
    'decoder.onnx': core,
    'decoder-gemm.onnx': toGemm(core),
    'decoder-fp16w.onnx': fp16Storage(core),
    'decoder-fp16.onnx': fp16Compute(core),
    'decoder-int8.onnx': int8Dynamic(core),
    'decoder-transposed.onnx': transposedLast(core),
  };
  return { loweredBytes: lowered.length, variants };
}

export async function makeDecoder(dir = modelsDir): Promise<Record<string, number>> {
  mkdirSync(dir, { recursive: true });
  const vae = mlpVAE({ latent: LATENT, hidden: [HIDDEN] });
  const params = vae.init(key(0));
  const { loweredBytes, variants } = decoderVariants(vae, params);
  const sizes: Record<string, number> = { 'as toOnnx wrote it (with encoder weights)': loweredBytes };
  for (const [name, m] of Object.entries(variants)) {
    const bytes = encodeModel(m);
    writeFileSync(join(dir, name), bytes);
    sizes[name] = bytes.length;
  }
  // TensorFlow.js peer: the same fp32 weights, dense W [in, out], concatenated in one binary.
  const names = ['dec.0.weight', 'dec.0.bias', 'dec.2.weight', 'dec.2.bias'];
  const manifest: { name: string; shape: number[]; offset: number }[] = [];
  let offset = 0;
  for (const name of names) {
    const t = params[name];
    if (t?.dtype !== 'float32') throw new Error(`missing float32 parameter ${name}`);
    manifest.push({ name, shape: [...t.shape], offset });
    offset += t.data.length;
  }
  const all = new Float32Array(offset);
  names.forEach((n, i) => all.set(params[n]!.data as Float32Array, manifest[i]!.offset));
  writeFileSync(join(dir, 'decoder-weights.bin'), new Uint8Array(all.buffer));
  writeFileSync(join(dir, 'decoder-weights.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  sizes['decoder-weights.bin'] = all.byteLength;
  // The same model as an exported bundle, for the @vae/infer-web peer (loadModel('/models/bundle/')).
  // And as an int8 bundle (core's int8 export: uint8 weights, dynamically quantised activations).
  for (const [folder, dtype] of [
    ['bundle', 'float32'],
    ['bundle-int8', 'int8'],
  ] as const) {
    const bundle = await createBundle(vae, params, { dtype });
    mkdirSync(join(dir, folder), { recursive: true });
    for (const [name, bytes] of Object.entries(bundle.files)) writeFileSync(join(dir, folder, name), bytes);
    sizes[`${folder}/decoder.onnx`] = bundle.files['decoder.onnx']!.length;
  }
  return sizes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = await makeDecoder();
  for (const [name, n] of Object.entries(sizes))
    console.log(`${name.padEnd(44)} ${(n / 1024).toFixed(0)} KiB`);
}
