/**
 * Cost of unrolling a GRU: a character-level sequence VAE step (embedding 32, GRU encoder, Gaussian
 * latent 16, GRU decoder from h0 = dense(z) with teacher forcing, per-step masked Categorical over
 * 32 ids) at hidden 128, batch 32, for each length. Prints, per length: nodes of the training graph
 * (forward, loss and gradients of every parameter), its ONNX size, onnxruntime-node session
 * creation time, and the median forward+backward run time.
 *
 *   [OPT=all|basic|disabled] [THREADS=2] tsx --conditions=@vae/source bench/recurrent/gru-unroll.ts [16,32,64,128]
 */
import {
  applyLayer,
  Graph,
  grad,
  gru,
  type HostTensor,
  initLayer,
  key,
  type LayerSpec,
  normal,
  paramShapes,
  SequenceCategorical,
  toOnnx,
  uniform,
} from '@vae/core';
import * as ort from 'onnxruntime-node';

const [B, V, E, H, Z] = [32, 32, 32, 128, 16];
const lengths = (process.argv[2] ?? '16,32,64,128').split(',').map(Number);
const threads = Number(process.env.THREADS ?? 2);
/** onnxruntime graph optimisation level: all (default), extended, basic or disabled. */
const level = (process.env.OPT ?? 'all') as 'all' | 'extended' | 'basic' | 'disabled';

const layers: Record<string, LayerSpec> = {
  emb: { type: 'embedding', vocab: V, dim: E },
  enc: { type: 'gru', inputSize: E, hiddenSize: H, output: 'last' },
  post: { type: 'dense', in: H, out: 2 * Z },
  h0: { type: 'dense', in: Z, out: H },
  dec: { type: 'gru', inputSize: E, hiddenSize: H },
  out: { type: 'dense', in: H, out: V },
};

function build(L: number) {
  const g = new Graph(`gru_vae_${L}`);
  const ids = g.input('ids', ['N', L], 'int64'); // targets
  const prev = g.input('prev', ['N', L], 'int64'); // decoder inputs: ids shifted right
  const mask = g.input('mask', ['N', L]);
  const eps = g.input('eps', ['N', Z]);
  const params: Record<string, ReturnType<Graph['input']>> = {};
  for (const [name, spec] of Object.entries(layers))
    for (const [n, s] of Object.entries(paramShapes(spec, name))) params[n] = g.input(n, s);
  const run = (name: string, x: ReturnType<Graph['input']>, ctx = {}) =>
    applyLayer(layers[name]!, params, x, ctx, name);
  const hEnc = run('enc', run('emb', ids), { mask });
  const post = run('post', hEnc);
  const mu = post.slice([0], [Z], [1]);
  const logVar = post.slice([Z], [2 * Z], [1]);
  const z = mu.add(logVar.mul(0.5).exp().mul(eps));
  const h0 = run('h0', z).tanh();
  const p = (n: string) => params[`dec.${n}`]!;
  const states = gru(
    run('emb', prev),
    { weight_ih: p('weight_ih'), weight_hh: p('weight_hh'), bias_ih: p('bias_ih'), bias_hh: p('bias_hh') },
    { mask, h0 },
  );
  const logits = run('out', states);
  const nll = new SequenceCategorical(logits, mask).logProb(ids).neg();
  const kl = mu.square().add(logVar.exp()).sub(logVar).sub(1).sum([1]).mul(0.5);
  const loss = nll.add(kl).mean();
  const wrt = Object.values(params);
  const grads = grad(loss, wrt);
  const outputs = { loss, ...Object.fromEntries(grads.map((t, i) => [`g${i}`, t])) };
  return { g, outputs };
}

function feeds(L: number): Record<string, ort.Tensor> {
  const k = key(L);
  const ids = BigInt64Array.from(uniform(k, B * L), (u) => BigInt(Math.floor(u * V)));
  const prev = BigInt64Array.from({ length: B * L }, (_, i) => (i % L === 0 ? 0n : ids[i - 1]!));
  const lens = Array.from(uniform(key(L + 1), B), (u) => Math.max(1, Math.ceil(u * L)));
  const mask = Float32Array.from({ length: B * L }, (_, i) => (i % L < lens[Math.floor(i / L)]! ? 1 : 0));
  const out: Record<string, ort.Tensor> = {
    ids: new ort.Tensor('int64', ids, [B, L]),
    prev: new ort.Tensor('int64', prev, [B, L]),
    mask: new ort.Tensor('float32', mask, [B, L]),
    eps: new ort.Tensor('float32', normal(key(L + 2), B * Z), [B, Z]),
  };
  for (const [name, spec] of Object.entries(layers))
    for (const [n, t] of Object.entries(initLayer(spec, key(7), name)) as [string, HostTensor<'float32'>][])
      out[n] = new ort.Tensor('float32', t.data, [...t.shape]);
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`graphOptimizationLevel=${level}, ${threads} threads, batch ${B}, hidden ${H}`);
console.log(`| length | training-graph nodes | ONNX size | session create | fwd+bwd step (median) |`);
console.log(`|---:|---:|---:|---:|---:|`);
for (const L of lengths) {
  const { g, outputs } = build(L);
  const bytes = toOnnx(g, { outputs });
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, {
    graphOptimizationLevel: level,
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  const create = performance.now() - t0;
  const f = feeds(L);
  await session.run(f); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await session.run(f);
    times.push(performance.now() - t);
  }
  await session.release();
  const kb = (bytes.length / 1024).toFixed(0);
  console.log(
    `| ${L} | ${g.nodes.length} | ${kb} KiB | ${create.toFixed(0)} ms | ${median(times).toFixed(1)} ms |`,
  );
}
