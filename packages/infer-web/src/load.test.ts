import {
  convVAE28,
  fromFloat16Array,
  type HostTensor,
  interpret,
  key,
  mlpVAE,
  toFloat16Array,
  uniform,
} from '@vae/core';
import * as ortWeb from 'onnxruntime-web/wasm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { VaeModel } from './api';
import { loadModel } from './load';
import { type Built, build, int8Tolerance, maxAbsDiff, roleInt8Reference, runNode } from './test-helpers';

const labels = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const cases: [string, () => Promise<Built>][] = [
  ['mlpVAE 784-64-8', () => build(mlpVAE({ inputSize: 784, hidden: [64], latent: 8 }), 1)],
  [
    'conditional mlpVAE',
    () => build(mlpVAE({ inputSize: 784, hidden: [32], latent: 4, condition: { size: 10, labels } }), 2),
  ],
  ['convVAE28', () => build(convVAE28({ latent: 4 }), 3)],
  [
    'mlpVAE float16 weights',
    () => build(mlpVAE({ inputSize: 784, hidden: [64], latent: 8 }), 4, { dtype: 'float16' }),
  ],
];

/** Weights as a float16 bundle stores them. */
const halve = (p: Record<string, HostTensor>) =>
  Object.fromEntries(
    Object.entries(p).map(([k, t]) => [
      k,
      { ...t, data: fromFloat16Array(toFloat16Array(t.data as Float32Array)) },
    ]),
  ) as Record<string, HostTensor>;

const open: VaeModel[] = [];
afterAll(async () => {
  await Promise.all(open.map((m) => m.dispose()));
});

describe.each(cases)('%s on onnxruntime-web (wasm, Node)', (label, make) => {
  it('decodes and encodes like onnxruntime-node: max abs diff <= 1e-5', async () => {
    const { vae, bundle, params: trained } = await make();
    const model = await loadModel(bundle.files);
    open.push(model);
    const params = bundle.manifest.dtype === 'float16' ? halve(trained) : trained;
    expect(model.backend).toBe('wasm');
    expect(model.threads).toBe(1); // Node is not cross-origin isolated
    const L = vae.spec.latent;
    const n = 16;
    const z = uniform(key(7), n * L, { low: -3, high: 3 });
    const cond = vae.spec.condition;
    const c = cond ? Int32Array.from({ length: n }, (_, i) => i % cond.size) : undefined;
    const cFlat = cond
      ? new Float32Array(n * cond.size).map((_, j) =>
          j % cond.size === Math.floor(j / cond.size) % cond.size ? 1 : 0,
        )
      : undefined;
    const web = await model.decode(z, c);
    const node = await runNode(bundle.files['decoder.onnx']!, {
      z: { data: z, dims: [n, L] },
      ...(cFlat ? { c: { data: cFlat, dims: [n, cond!.size] } } : {}),
    });
    const dDec = maxAbsDiff(web.params, node.params!);
    // and against the training graph itself (the decoder role graph on the reference interpreter)
    const { graph, outputs } = vae.roleGraph('decoder');
    const names = new Set(graph.inputs.map((t) => t.name));
    const feeds: Record<string, HostTensor> = { z: { dtype: 'float32', shape: [n, L], data: z } };
    if (cFlat) feeds.c = { dtype: 'float32', shape: [n, cond!.size], data: cFlat };
    for (const [k, v] of Object.entries(params)) if (names.has(k)) feeds[k] = v;
    const [ref] = interpret(graph, [outputs.params!], feeds);
    const dRef = maxAbsDiff(web.params, ref!.data as Float32Array);
    const x = uniform(key(8), n * 784);
    const enc = await model.encode(x, c);
    const nodeEnc = await runNode(bundle.files['encoder.onnx']!, {
      x: { data: x, dims: [n, ...vae.spec.dataShape] },
      ...(cFlat ? { c: { data: cFlat, dims: [n, cond!.size] } } : {}),
    });
    const dEnc = Math.max(maxAbsDiff(enc.loc, nodeEnc.loc!), maxAbsDiff(enc.scale, nodeEnc.scale!));
    console.log(
      `${label}: |web - node| decoder ${dDec.toExponential(2)}, encoder ${dEnc.toExponential(2)}; |web - interpreter| decoder ${dRef.toExponential(2)} (n = ${n})`,
    );
    expect(dDec).toBeLessThanOrEqual(1e-5);
    expect(dRef).toBeLessThanOrEqual(1e-5);
    expect(dEnc).toBeLessThanOrEqual(1e-5);
    expect(web.paramShape).toEqual(vae.spec.dataShape);
  });
});

describe('an int8 bundle on onnxruntime-web (wasm, Node)', () => {
  it('decodes and encodes the exact integer arithmetic of its files, as onnxruntime-node does, within 2% of the float32 graph', async () => {
    const vae = mlpVAE({ inputSize: 784, hidden: [64], latent: 8 });
    const { bundle, params } = await build(vae, 5, { dtype: 'int8' });
    expect(bundle.manifest.dtype).toBe('int8');
    const model = await loadModel(bundle.files);
    open.push(model);
    const n = 16;
    const z = uniform(key(9), n * 8, { low: -3, high: 3 });
    const x = uniform(key(10), n * 784);
    const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });
    // The oracle: the files' own quantised weights, DynamicQuantizeLinear per the ONNX spec and exact
    // integer matmuls (@vae/core's test-only reference). Both runtimes must compute it, whatever the
    // CPU: the weights are uint8 (u8 x u8 kernels do not saturate), so no CPU-specific bound is needed.
    const dec = roleInt8Reference(
      vae,
      'decoder',
      params,
      { z: f32([n, 8], z) },
      bundle.files['decoder.onnx']!,
    );
    const enc = roleInt8Reference(
      vae,
      'encoder',
      params,
      { x: f32([n, 784], x) },
      bundle.files['encoder.onnx']!,
    );
    const web = await model.decode(z);
    const node = await runNode(bundle.files['decoder.onnx']!, { z: { data: z, dims: [n, 8] } });
    const webEnc = await model.encode(x);
    const nodeEnc = await runNode(bundle.files['encoder.onnx']!, { x: { data: x, dims: [n, 784] } });
    const { graph, outputs } = vae.roleGraph('decoder');
    const names = new Set(graph.inputs.map((t) => t.name));
    const feeds: Record<string, HostTensor> = { z: f32([n, 8], z) };
    for (const [k, v] of Object.entries(params)) if (names.has(k)) feeds[k] = v;
    const fp32 = interpret(graph, [outputs.params!], feeds)[0]!.data as Float32Array;
    const checks: [string, Float32Array, Float32Array, Float32Array, number][] = [
      [
        'decoder.params',
        web.params,
        node.params!,
        dec.out.params!,
        int8Tolerance(dec.out.params!, dec.layers),
      ],
      ['encoder.loc', webEnc.loc, nodeEnc.loc!, enc.out.loc!, int8Tolerance(enc.out.loc!, enc.layers)],
      [
        'encoder.scale',
        webEnc.scale,
        nodeEnc.scale!,
        enc.out.scale!,
        int8Tolerance(enc.out.scale!, enc.layers),
      ],
    ];
    for (const [name, w, nd, exact, tol] of checks) {
      const dWeb = maxAbsDiff(w, exact);
      const dNode = maxAbsDiff(nd, exact);
      console.log(
        `int8 mlpVAE ${name}: |web - exact| ${dWeb.toExponential(2)}, |node - exact| ${dNode.toExponential(2)} (tolerance ${tol.toExponential(2)}, n = ${n})`,
      );
      expect(dWeb).toBeLessThanOrEqual(tol);
      expect(dNode).toBeLessThanOrEqual(tol);
    }
    // And the quantisation cost against the training graph: @vae/core's int8 bound, 2% of
    // max(1, max |float32 output|).
    const scale = Math.max(1, ...Array.from(fp32, Math.abs));
    const dRef = maxAbsDiff(web.params, fp32) / scale;
    console.log(`int8 mlpVAE: |web - float32 graph| / ${scale.toFixed(2)} = ${dRef.toExponential(2)}`);
    expect(dRef).toBeLessThan(0.02);
  });
});

describe('batching and sessions', () => {
  it('a 64-sample grid, an interpolation and a traversal are one session run each', async () => {
    const { bundle } = await cases[0]![1]();
    const create = vi.spyOn(ortWeb.InferenceSession, 'create');
    const model = await loadModel(bundle.files);
    // encoder, decoder and the probability graphs (data mean/sample, posterior sample, score), once
    expect(create).toHaveBeenCalledTimes(6);
    // sessions are instances of the InferenceSession class: count runs on its prototype
    const proto = (ortWeb.InferenceSession as unknown as { prototype: ortWeb.InferenceSession }).prototype;
    const run = vi.spyOn(proto, 'run');
    const grid = await model.sample(64, key(1));
    expect(grid.n).toBe(64);
    expect(run).toHaveBeenCalledTimes(1);
    await model.interpolate(grid.z.subarray(0, 8), grid.z.subarray(8, 16), 10, 'slerp');
    await model.traverse(grid.z.subarray(0, 8), 3, [-2, -1, 0, 1, 2]);
    await model.reconstruct(grid.params.map((v) => (v > 0 ? 1 : 0)));
    expect(run).toHaveBeenCalledTimes(5); // + 1 + 1 + 2 (encode, decode)
    expect(create).toHaveBeenCalledTimes(6);
    // concurrent calls queue on the session instead of failing
    const all = await Promise.all([
      model.sample(4, 1),
      model.sample(4, 2),
      model.decode(grid.z.subarray(0, 8)),
    ]);
    expect(all.map((d) => d.n)).toEqual([4, 4, 1]);
    run.mockRestore();
    create.mockRestore();
    await model.dispose();
  });

  it('reconstruct decodes the posterior mean', async () => {
    const { bundle } = await cases[0]![1]();
    const model = await loadModel(bundle.files);
    const x = uniform(key(2), 3 * 784);
    const r = await model.reconstruct(x);
    const e = await model.encode(x);
    expect(Array.from(r.z)).toEqual(Array.from(e.loc));
    expect(maxAbsDiff(r.params, (await model.decode(e.loc)).params)).toBe(0);
    await model.dispose();
  });
});
