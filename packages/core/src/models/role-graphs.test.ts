import { key, normal, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { InterpreterBackend } from '../backend/interpreter-backend';
import { f32, type HostTensor } from '../ir/dtype';
import { toOnnx } from '../onnx/lower';
import { mlpVAE } from './builders';

const floats = (t: HostTensor | undefined) => Array.from(t!.data as Float32Array);

describe('VAE role graphs', () => {
  const vae = mlpVAE({ inputSize: 6, hidden: [5], latent: 2, condition: { size: 3 } });
  const params = vae.init(key(1));
  const x = f32([4, 6], uniform(key(2), 24));
  const z = f32([4, 2], normal(key(3), 8));
  const c = f32([4, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
  const paramNames = Object.keys(vae.paramShapes());

  it('take the data inputs first, then the parameters, and name their outputs by role', () => {
    const shapes = {
      encoder: [['x', 'c'], ['loc', 'scale'], 'encoder'],
      'encode-mean': [['x', 'c'], ['loc'], 'encode_mean'],
      decoder: [['z', 'c'], ['params'], 'decoder'],
      'decode-mean': [['z', 'c'], ['mean'], 'decode_mean'],
    } as const;
    for (const [role, [data, outs, name]] of Object.entries(shapes)) {
      const { graph, outputs, bind } = vae.roleGraph(role as keyof typeof shapes);
      expect(graph.name).toBe(name);
      expect(graph.inputs.map((t) => t.name)).toEqual([...data, ...paramNames]);
      expect(Object.keys(outputs)).toEqual(outs);
      expect(bind).toBeUndefined();
    }
  });

  it('agree with each other: encode-mean is the encoder`s loc, decode-mean the likelihood mean of the decoder`s params', async () => {
    const backend = new InterpreterBackend();
    const run = async (role: Parameters<typeof vae.roleGraph>[0], feeds: Record<string, HostTensor>) =>
      (await backend.compile(role, () => vae.roleGraph(role))).run({ ...params, ...feeds, c });
    const enc = await run('encoder', { x });
    expect(floats((await run('encode-mean', { x })).loc)).toEqual(floats(enc.loc));
    const logits = floats((await run('decoder', { z })).params);
    const mean = floats((await run('decode-mean', { z })).mean);
    // Bernoulli: the mean is sigmoid(logits), to float32 rounding.
    mean.forEach((m, i) => expect(m).toBeCloseTo(1 / (1 + Math.exp(-logits[i]!)), 6));
  });

  it('with `bind`, carry the parameters to bake in: the lowered file takes the data alone', async () => {
    const built = vae.roleGraph('decoder', { bind: params });
    expect(built.bind).toBe(params);
    const backend = new InterpreterBackend();
    const bound = await backend.compile('bound', () => built);
    expect(bound.inputNames).toEqual(['z', 'c']);
    const file = await backend.load(toOnnx(built.graph, { outputs: built.outputs, bind: built.bind }));
    expect(file.inputNames).toEqual(['z', 'c']);
    const free = await backend.compile('free', () => vae.roleGraph('decoder'));
    const want = floats((await free.run({ ...params, z, c })).params);
    expect(floats((await bound.run({ z, c })).params)).toEqual(want);
    expect(floats((await file.run({ z, c })).params)).toEqual(want);
  });
});
