// Quality cost of the fp16 and int8 decoders, in nats, with TRAINED weights on real test data.
//   vae train --dataset fashion-mnist --model mlp --latent 20 --hidden 400 --epochs 5 --out <run>
//   tsx --conditions=@vae/source bench/browser/quality.ts --run <run> [--limit 10000]
// For each test image x (binarised with a fixed seed, as training binarises), z = the fp32 encoder's
// posterior mean; each decoder variant gives Bernoulli logits; we report the mean change of
// log p(x|z) (= the change of the ELBO, since the encoder is untouched) and KL(p_fp32 || p_variant),
// both in nats per image. Runs on onnxruntime-node 1.30 (the same graph optimiser as the web build;
// int8 kernels differ by CPU, so treat the int8 figure as the scheme's cost, not a bit-exact one).
import { join } from 'node:path';
import { encodeModel, lowerToModel, mlpVAE } from '@vae/core';
import { fashionMnist } from '@vae/datasets';
import { loadParams } from '@vae/train-node';
import * as ort from 'onnxruntime-node';
import { decoderVariants, HIDDEN, LATENT } from './make-decoder';
import { pruneInitializers } from './onnx-variants';
import { writeJson } from './report';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const run = arg('run');
if (!run)
  throw new Error('usage: quality.ts --run <run dir with best.safetensors or checkpoint.safetensors>');
const limit = Number(arg('limit') ?? 10000);

let params: ReturnType<typeof loadParams>;
try {
  params = loadParams(join(run, 'best.safetensors'));
} catch {
  params = loadParams(join(run, 'checkpoint.safetensors'));
}
const vae = mlpVAE({ latent: LATENT, hidden: [HIDDEN] });
const { test } = await fashionMnist();
const n = Math.min(limit, test.count);
// Fixed binarisation: x ~ Bernoulli(pixel / 255) from a seeded generator (mulberry32).
let s = 12345;
const u = () => {
  s = (s + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const x = Float32Array.from(test.data.subarray(0, n * 784), (p) => (u() < p / 255 ? 1 : 0));

const enc = vae.roleGraph('encoder');
const encBytes = encodeModel(
  pruneInitializers(lowerToModel(enc.graph, { outputs: enc.outputs, bind: params })),
);
const encSession = await ort.InferenceSession.create(encBytes);
const loc = (await encSession.run({ x: new ort.Tensor('float32', x, [n, 784]) })).loc!.data as Float32Array;
const z = new ort.Tensor('float32', loc, [n, LATENT]);

const logSig = (v: number) => (v >= 0 ? -Math.log1p(Math.exp(-v)) : v - Math.log1p(Math.exp(v)));
const logLik = (logits: Float32Array) => {
  const out = new Float64Array(n);
  for (let i = 0; i < n * 784; i++)
    out[Math.floor(i / 784)]! += x[i] ? logSig(logits[i]!) : logSig(-logits[i]!);
  return out;
};

const { variants } = decoderVariants(vae, params);
const rows: Record<string, unknown>[] = [];
let ref: { logits: Float32Array; ll: Float64Array } | undefined;
for (const [file, model] of Object.entries(variants)) {
  const sess = await ort.InferenceSession.create(encodeModel(model), { graphOptimizationLevel: 'all' });
  const logits = (await sess.run({ z }))[sess.outputNames[0]!]!.data as Float32Array;
  const ll = logLik(logits);
  ref ??= { logits, ll };
  let dll = 0;
  let absDll = 0;
  let kl = 0;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    dll += ref.ll[i]! - ll[i]!;
    absDll += Math.abs(ref.ll[i]! - ll[i]!);
  }
  for (let i = 0; i < n * 784; i++) {
    const a = ref.logits[i]!;
    const b = logits[i]!;
    const p = 1 / (1 + Math.exp(-a));
    kl += p * (logSig(a) - logSig(b)) + (1 - p) * (logSig(-a) - logSig(-b));
    maxAbs = Math.max(maxAbs, Math.abs(a - b));
  }
  rows.push({
    file,
    meanLogLikNats: ref.ll.reduce((a, b) => a + b, 0) / n,
    elboCostNats: dll / n,
    meanAbsLogLikChangeNats: absDll / n,
    klNatsPerImage: kl / n,
    maxAbsLogitDiff: maxAbs,
  });
  await sess.release();
}
console.log(
  `Fashion-MNIST test, ${n} images, trained run ${run}; log p(x|z) of the fp32 decoder: ${(rows[0]!.meanLogLikNats as number).toFixed(2)} nats/image`,
);
console.log(
  'variant               ELBO cost (nats/img)  mean |d log p(x|z)|  KL(fp32||variant)  max |d logit|',
);
for (const r of rows)
  console.log(
    `${String(r.file).padEnd(22)}${(r.elboCostNats as number).toExponential(2).padStart(20)}${(r.meanAbsLogLikChangeNats as number).toExponential(2).padStart(21)}${(r.klNatsPerImage as number).toExponential(2).padStart(19)}${(r.maxAbsLogitDiff as number).toExponential(1).padStart(15)}`,
  );
writeJson(join(import.meta.dirname, 'quality.json'), { run, n, rows });
