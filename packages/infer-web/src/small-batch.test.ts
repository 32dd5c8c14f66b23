import { decodeModel, type HostTensor, interpret, key, mlpVAE, uniform } from '@vae/core';
import * as ortWeb from 'onnxruntime-web/wasm';
import { describe, expect, it, vi } from 'vitest';
import { loadModel } from './load';
import { build, int8Tolerance, maxAbsDiff, roleInt8Reference } from './test-helpers';

const L = 8;
const vae = mlpVAE({ inputSize: 784, hidden: [64], latent: L });
const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });

/** The weights an int8 bundle file stores, as float32: (level - zero point) * column scale. */
function storedWeights(onnx: Uint8Array, params: Record<string, HostTensor>): Record<string, HostTensor> {
  const inits = new Map(decodeModel(onnx).graph.initializer.map((t) => [t.name, t]));
  const out = { ...params };
  for (const [name, t] of Object.entries(params)) {
    const q = inits.get(`${name}__q8`);
    if (!q) continue;
    const scale = new Float32Array(inits.get(`${name}__scale`)!.rawData.slice().buffer);
    const zp = inits.get(`${name}__zp`)!.rawData[0]!;
    const cols = q.dims[1]!;
    out[name] = f32(
      [...t.shape],
      Float32Array.from(q.rawData, (v, i) => (v - zp) * scale[i % cols]!),
    );
  }
  return out;
}

/** The decoder role graph on @vae/core's reference interpreter. */
function interpretDecoder(params: Record<string, HostTensor>, z: Float32Array): Float32Array {
  const { graph, outputs } = vae.roleGraph('decoder');
  const names = new Set(graph.inputs.map((t) => t.name));
  const feeds: Record<string, HostTensor> = { z: f32([z.length / L, L], z) };
  for (const [k, v] of Object.entries(params)) if (names.has(k)) feeds[k] = v;
  return interpret(graph, [outputs.params!], feeds)[0]!.data as Float32Array;
}

describe('an int8 bundle: one row on float32 weights, batches on the integer kernels', () => {
  it('decodes one row as the float32 graph with the stored weights (max abs diff <= 1e-5), two rows as the integer arithmetic', async () => {
    const { bundle, params } = await build(vae, 5, { dtype: 'int8' });
    const file = bundle.files['decoder.onnx']!;
    const model = await loadModel(bundle.files);
    const z = uniform(key(9), 2 * L, { low: -3, high: 3 });
    const one = (await model.decode(z.subarray(0, L))).params;
    const dOne = maxAbsDiff(one, interpretDecoder(storedWeights(file, params), z.subarray(0, L)));
    const two = (await model.decode(z)).params;
    const exact = roleInt8Reference(vae, 'decoder', params, { z: f32([2, L], z) }, file);
    const dTwo = maxAbsDiff(two, exact.out.params!);
    const tol = int8Tolerance(exact.out.params!, exact.layers);
    console.log(
      `int8 bundle: 1 row |web - float32 graph on stored weights| ${dOne.toExponential(2)}; 2 rows |web - exact integer arithmetic| ${dTwo.toExponential(2)} (tolerance ${tol.toExponential(2)})`,
    );
    expect(dOne).toBeLessThanOrEqual(1e-5);
    expect(dTwo).toBeLessThanOrEqual(tol);
    // The same row inside a batch: the integer path, within the int8 bound of the float32 one.
    const scale = Math.max(1, ...Array.from(one, Math.abs));
    expect(maxAbsDiff(one, two.subarray(0, one.length)) / scale).toBeLessThan(0.02);
    await model.dispose();
  });

  it('int8Float32Rows: 0 keeps every batch on the integer graph; float32 bundles get no extra session', async () => {
    const int8 = await build(vae, 6, { dtype: 'int8' });
    const fp32 = await build(vae, 6);
    const create = vi.spyOn(ortWeb.InferenceSession, 'create');
    const sessions = async (files: Record<string, Uint8Array>, opts = {}) => {
      create.mockClear();
      const model = await loadModel(files, opts);
      return { model, count: create.mock.calls.length };
    };
    const byDefault = await sessions(int8.bundle.files);
    const off = await sessions(int8.bundle.files, { int8Float32Rows: 0 });
    const plain = await sessions(fp32.bundle.files);
    create.mockRestore();
    // encoder, decoder and 4 probability graphs; + the float32 decoder of the int8 bundle by default
    expect([byDefault.count, off.count, plain.count]).toEqual([7, 6, 6]);
    const z = uniform(key(4), L, { low: -3, high: 3 });
    const file = int8.bundle.files['decoder.onnx']!;
    const exact = roleInt8Reference(vae, 'decoder', int8.params, { z: f32([1, L], z) }, file);
    const d = maxAbsDiff((await off.model.decode(z)).params, exact.out.params!);
    expect(d).toBeLessThanOrEqual(int8Tolerance(exact.out.params!, exact.layers));
    await Promise.all([byDefault.model, off.model, plain.model].map((m) => m.dispose()));
  });
});
