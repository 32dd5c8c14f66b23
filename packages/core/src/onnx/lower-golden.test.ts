import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { loop } from '../ir/loop';
import type { Tensor } from '../ir/tensor';
import { convVAE28, mlpVAE, tabularVAE } from '../models/builders';
import type { VAE } from '../models/vae';
import { adam } from '../optim/adam';
import { GraphNoise } from '../random/noise';
import { mlpProblem } from '../testing/mlp';
import { toOnnx } from './lower';
import { decodeModel, encodeModel } from './onnx-proto';
import type { GraphProto } from './onnx-types';

/**
 * The lowered ONNX bytes of representative graphs, pinned by SHA-256: a change to lowering (rules,
 * rewrite passes, node order or names) that alters any written file fails here. The hashes were
 * taken before fusions moved out of the lowering rules into passes (onnx/passes), so they also
 * prove that move changed no byte. Update them only for an intended change to what is written.
 */

/** Deterministic parameter values (no PRNG, so the bytes depend on lowering alone). */
const fill = (shape: readonly number[], seed: number): HostTensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(seed * 7.31 + i * 0.377) * 0.1;
  return { dtype: 'float32', shape: [...shape], data };
};
const paramsOf = (vae: VAE) =>
  Object.fromEntries(Object.entries(vae.paramShapes()).map(([n, s], i) => [n, fill(s, i + 1)]));

/** K Adam steps of a VAE in one Loop, in the loop form, as train-node's step graph builds them. */
function trainingStep(vae: VAE, batch: number, steps: number): Uint8Array {
  const optimizer = adam({ lr: 1e-3 });
  const shapes = vae.paramShapes();
  const names = Object.keys(shapes);
  const stateShapes = Object.fromEntries(
    Object.entries(optimizer.initState(Object.fromEntries(names.map((n) => [n, fill(shapes[n]!, 0)])))).map(
      ([n, t]) => [n, [...(t.shape as number[])]],
    ),
  );
  const stateNames = Object.keys(stateShapes);
  const g = new Graph(`train_k${steps}`);
  const params0 = names.map((n) => g.input(n, shapes[n]!));
  const state0 = stateNames.map((n) => g.input(`optim.${n}`, stateShapes[n]!));
  const xs = g.input('x', [steps, batch, ...vae.spec.dataShape]);
  const betas = g.input('beta', [steps]);
  const form = optimizer.inLoop!;
  const [finals, scans] = loop(g, steps, [...params0, ...state0], (iter, carried) => {
    const noise = new GraphNoise(g, 'noise');
    const ps = carried.slice(0, names.length);
    const params = Object.fromEntries(names.map((n, i) => [n, ps[i]!]));
    const state = Object.fromEntries(stateNames.map((n, i) => [n, carried[names.length + i]!]));
    const terms = vae.loss(params, { x: xs.gather(iter, 0) }, { noise, beta: betas.gather(iter, 0) });
    const index = iter.cast('float32');
    const raw = grad(terms.loss.mul(form.lossScale(index)), ps);
    const grads = Object.fromEntries(names.map((n, i) => [n, raw[i]!]));
    const next = form.update({ params, grads, state }, index);
    return {
      carried: [...names.map((n) => next.params[n]!), ...stateNames.map((n) => next.state[n]!)],
      scans: [terms.loss, terms.recon.mean(), terms.kl.mean()],
    };
  });
  const outputs: Record<string, Tensor> = {};
  names.forEach((n, i) => {
    outputs[`next.${n}`] = finals[i]!;
  });
  const plain = form.exit(
    Object.fromEntries(stateNames.map((n, i) => [n, finals[names.length + i]!])),
    g.scalar(steps),
  );
  for (const n of stateNames) outputs[`next.optim.${n}`] = plain[n]!;
  Object.assign(outputs, { loss: scans[0]!, recon: scans[1]!, kl: scans[2]! });
  return toOnnx(g, { outputs });
}

/** The per-example loss and its gradients (no Loop). */
function lossAndGrads(vae: VAE): Uint8Array {
  const g = new Graph('loss');
  const params = vae.paramInputs(g);
  const names = Object.keys(params);
  const x = g.input('x', ['N', ...vae.spec.dataShape]);
  const terms = vae.loss(params, { x }, { noise: new GraphNoise(g) });
  const grads = grad(terms.loss, Object.values(params));
  return toOnnx(g, {
    outputs: {
      loss: terms.loss,
      recon: terms.recon,
      ...Object.fromEntries(names.map((n, i) => [`grad.${n}`, grads[i]!])),
    },
  });
}

/** A bundle role graph with its weights bound, as bundle export lowers it. */
function role(vae: VAE, r: 'encoder' | 'decoder'): Uint8Array {
  const { graph, outputs } = vae.roleGraph(r);
  return toOnnx(graph, { outputs, bind: paramsOf(vae), name: r, metadata: { role: r } });
}

function softplusSums(): Uint8Array {
  const g = new Graph('softplus_sums');
  const x = g.input('x', ['N', 28, 28]);
  const y = g.input('y', ['N', 13]);
  const shared = y.softplus();
  return toOnnx(g, {
    outputs: {
      fused: x.softplus().sum([-2, -1]),
      kept: x.neg().softplus().sum([-1], true),
      prime: y.neg().softplus().sum([-1]),
      leading: x.exp().softplus().sum([1]),
      shared: shared.sum([-1]).add(shared.max([-1])),
    },
  });
}

const mlp = mlpVAE({ inputSize: 784, hidden: [64], latent: 8 });
const conditional = mlpVAE({ inputSize: 784, hidden: [48], latent: 4, condition: { size: 10 } });
const conv = convVAE28({ latent: 4 });
const tabular = tabularVAE(
  [
    { name: 'age', type: 'continuous' },
    { name: 'smoker', type: 'binary' },
    { name: 'colour', type: 'categorical', categories: 3 },
  ],
  { latent: 2, hidden: [6] },
);
const gaussian = mlpVAE({
  inputSize: 20,
  hidden: [16],
  latent: 3,
  likelihood: { type: 'gaussian', scale: 'learned' },
  prior: { type: 'mog', components: 3 },
});

const cases: Record<string, () => Uint8Array> = {
  'mlpVAE training step (Adam loop form, K=4)': () => trainingStep(mlp, 32, 4),
  'gaussian MoG-prior mlpVAE training step (K=2)': () => trainingStep(gaussian, 8, 2),
  'mlpVAE loss and gradients': () => lossAndGrads(mlp),
  'convVAE28 loss and gradients': () => lossAndGrads(conv),
  'mlpVAE encoder': () => role(mlp, 'encoder'),
  'mlpVAE decoder': () => role(mlp, 'decoder'),
  'conditional mlpVAE encoder': () => role(conditional, 'encoder'),
  'conditional mlpVAE decoder': () => role(conditional, 'decoder'),
  'convVAE28 encoder': () => role(conv, 'encoder'),
  'convVAE28 decoder': () => role(conv, 'decoder'),
  'tabularVAE encoder': () => role(tabular, 'encoder'),
  'tabularVAE decoder': () => role(tabular, 'decoder'),
  'mlp forward and gradients': () => {
    const p = mlpProblem();
    return toOnnx(p.graph, {
      outputs: { loss: p.loss, ...Object.fromEntries(p.grads.map((t, i) => [`g${i}`, t])) },
    });
  },
  'mlp SGD loop': () => {
    const p = mlpProblem();
    const { params, losses } = p.sgdLoop(4, 0.1);
    return toOnnx(p.graph, {
      outputs: { losses, ...Object.fromEntries(params.map((t, i) => [`p${i}`, t])) },
    });
  },
  'softplus sums (fused, kept, prime count, leading axes, shared)': softplusSums,
};

/**
 * Tensor names carry process-wide counters (tensor ids, loop numbers), so the same graph built after
 * other graphs gets other numbers. The pinned hash is of the model with every number in a name
 * renumbered by first appearance: equal hashes mean equal files up to a consistent renaming.
 */
function canonical(bytes: Uint8Array): Uint8Array {
  const model = decodeModel(bytes);
  // The codec must round-trip exactly, or the canonical form would hide a difference.
  expect(Buffer.from(encodeModel(model)).equals(Buffer.from(bytes))).toBe(true);
  const seen = new Map<string, number>();
  const rename = (name: string) =>
    name.replace(/(_|loop)\d+/g, (m: string, p: string, at: number) => {
      // Keyed by the name up to the number, so a counter equal to some fixed index cannot merge.
      const key = name.slice(0, at + m.length);
      if (!seen.has(key)) seen.set(key, seen.size);
      return `${p}#${seen.get(key)}`;
    });
  const graph = (g: GraphProto): void => {
    g.name = rename(g.name);
    for (const v of [...g.input, ...g.output, ...(g.valueInfo ?? []), ...g.initializer])
      v.name = rename(v.name);
    for (const n of g.node) {
      n.name = rename(n.name);
      n.input = n.input.map(rename);
      n.output = n.output.map(rename);
      for (const a of n.attribute) if (a.type === 'graph') graph(a.g);
    }
  };
  graph(model.graph);
  return encodeModel(model);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Canonical SHA-256 per case, taken before the passes refactor. */
const golden: Record<string, string> = {
  'mlpVAE training step (Adam loop form, K=4)':
    '54c72dd1e0bef3a0f1a0726858483af27ba8e024d1b1654b6f1a953a6c501d82',
  // Changed with issue 15's posterior-underflow fix: log q(z|x) of the MC KL takes eps for (z - loc) / scale.
  'gaussian MoG-prior mlpVAE training step (K=2)':
    'ae6187a60e39e9613ca383f1394f466b26bd9f7af9bd7f55428830a8fe3e45db',
  'mlpVAE loss and gradients': '7cee4c3a757002b67ca357d8a9abe0c71a4a396ca9d829e2fa9c9ebf16f9edcd',
  'convVAE28 loss and gradients': '9e9e9793e4d38306df987ff1c970c863bfd44ed56a5d690cd61d2251a485aaa3',
  'mlpVAE encoder': 'daaeae04063a69bfd49ae1d8ba49e3bdac1017f8e90e1663daf487f2ae7a07f9',
  'mlpVAE decoder': '90e3b859c8eae0891841b4b2eaf059929faaf19090c0bcd3e3c93f82b8de9bb1',
  'conditional mlpVAE encoder': 'fd37d2c0c0b36e8982afcd087c0cd77a91675fc137d5423cf1832117af4afb80',
  'conditional mlpVAE decoder': 'da9b64920fa903692692c5733d0963c2dc8ce2176277f5651a91c82c6b0a04f8',
  'convVAE28 encoder': 'e60892208bbb9fdfb649556728163c4bf9c6f344556fd688ab399356fa12bb05',
  'convVAE28 decoder': '7214c24cee91f791c570359b03cba4a58123179d73116861dcab546525aa92f2',
  'tabularVAE encoder': '82f5a02ee1a35b078185c16dfdaefa7fae1c997fa8eec4b71cde4c010efbc6dc',
  'tabularVAE decoder': '06884e7c77d568d0712b6fd499d9eda4a44a68e3feea1785890259519ba9cfe9',
  'mlp forward and gradients': 'cb8f3a3a87aed21282f3a24c47ba47cdb59702ab68e1bee019cac6afe058cd05',
  'mlp SGD loop': '61ec1ad2cf9e0c7308590a5156f52b7cff03e737ad4d3819d4ee9d7b23f1ce67',
  'softplus sums (fused, kept, prime count, leading axes, shared)':
    'dddd2d3fecd6d536e38501b571751b683ce3acf16c50b8ca9b0a615d353ddc14',
};

/** Op types of a graph and its sub-graphs. */
const opTypes = (g: GraphProto): string[] =>
  g.node.flatMap((n) => [n.opType, ...n.attribute.flatMap((a) => (a.type === 'graph' ? opTypes(a.g) : []))]);

describe('lowered ONNX bytes are pinned', () => {
  it('the training step exercises both passes (fused softplus sum, Softplus rewrite) inside its Loop', () => {
    const ops = opTypes(decodeModel(cases['mlpVAE training step (Adam loop form, K=4)']!()).graph);
    expect(ops).toContain('Loop');
    expect(ops).toContain('ReduceProd');
    expect(ops).not.toContain('Softplus');
  });

  it.each(Object.keys(cases))('%s', (name) => {
    const bytes = cases[name]!();
    const hash = sha256(canonical(bytes));
    if (process.env.PRINT_GOLDEN)
      console.log(`GOLDEN ${JSON.stringify(name)}: '${hash}', raw ${sha256(bytes)}`);
    expect(hash).toBe(golden[name]);
  });
});
