// What onnxruntime's graph optimiser makes of each decoder variant (onnxruntime-node 1.30, the same
// optimiser as onnxruntime-web's CPU/wasm EP), and how far each variant's output is from fp32.
//   tsx --conditions=@vae/source bench/browser/inspect-optimized.ts
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel, key, normal } from '@vae/core';
import * as ort from 'onnxruntime-node';
import { LATENT, modelsDir } from './make-decoder';

const levels = ['disabled', 'basic', 'extended', 'all'] as const;
const tmp = mkdtempSync(join(tmpdir(), 'ort-opt-'));
const n = 256;
const z = new ort.Tensor('float32', normal(key(1), n * LATENT), [n, LATENT]);
/** Mean over images of KL(Bernoulli(sigmoid(a)) || Bernoulli(sigmoid(b))), summed over pixels: nats per image. */
const klNats = (a: Float32Array, b: Float32Array) => {
  let kl = 0;
  const logSig = (x: number) => -Math.log1p(Math.exp(-x));
  for (let i = 0; i < a.length; i++) {
    const p = 1 / (1 + Math.exp(-a[i]!));
    kl += p * (logSig(a[i]!) - logSig(b[i]!)) + (1 - p) * (logSig(-a[i]!) - logSig(-b[i]!));
  }
  return kl / n;
};
let ref: Float32Array | undefined;
for (const file of readdirSync(modelsDir)
  .filter((f) => f.endsWith('.onnx'))
  .sort((a, b) => a.length - b.length || a.localeCompare(b))) {
  for (const level of levels) {
    const path = join(tmp, `${file}.${level}.onnx`);
    const s = await ort.InferenceSession.create(join(modelsDir, file), {
      graphOptimizationLevel: level,
      optimizedModelFilePath: path,
    });
    const y = (await s.run({ z }))[s.outputNames[0]!]!.data as Float32Array;
    if (file === 'decoder.onnx' && level === 'disabled') ref = y;
    const diff = ref ? y.reduce((m, v, i) => Math.max(m, Math.abs(v - ref![i]!)), 0) : Number.NaN;
    const ops = decodeModel(readFileSync(path)).graph.node.map(
      (nd) => (nd.domain ? `${nd.domain}.` : '') + nd.opType,
    );
    const kl = ref ? klNats(ref, y) : Number.NaN;
    console.log(
      `${file.padEnd(20)} ${level.padEnd(9)} max|dlogit| ${diff.toExponential(1)} KL ${kl.toExponential(1)} nats/image  ${ops.join(' ')}`,
    );
    await s.release();
  }
}
rmSync(tmp, { recursive: true });
