// Text bundles through infer-web (onnxruntime-web wasm in Node) vs the same files on onnxruntime-node
// and the training graph on core's interpreter: the same strings for greedy decoding and for draws
// with the same noise, the same posterior means.
import { fold, interpret, key, normal, textVAE, uniform } from '@vae/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaeModel } from './api';
import { InferError } from './errors';
import { loadModel } from './load';
import { type Built, build, maxAbsDiff, runNode } from './test-helpers';
import { serveModel } from './worker-host';
import type { MessageEndpoint } from './worker-protocol';

const tokens = ['<pad>', '<bos>', '<eos>', '<unk>', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const [V, L, D] = [tokens.length, 7, 3]; // maxLen 6
/** Strings of ids by hand (the oracle of the mapping): up to EOS/PAD, UNK as U+FFFD. */
const byHand = (ids: Float32Array) =>
  Array.from({ length: ids.length / L }, (_, i) => {
    let s = '';
    for (const id of ids.subarray(i * L, (i + 1) * L)) {
      if (id === 2 || id === 0) break;
      s += id === 3 ? '\uFFFD' : id === 1 ? '' : tokens[id];
    }
    return s;
  });

let built: Built;
let model: VaeModel;
beforeAll(async () => {
  const vae = textVAE({ vocab: V, maxLen: L - 1, latent: D, embed: 8, hidden: 16 });
  built = await build(vae, 5, { text: { tokens, lowercase: true } });
  model = await loadModel(built.bundle.files);
});
afterAll(() => model?.dispose());

/** The bundle's decoder on onnxruntime-node. */
async function nodeIds(z: Float32Array, u: Float32Array, t: number): Promise<Float32Array> {
  const n = z.length / D;
  const out = await runNode(built.bundle.files['decoder.onnx']!, {
    z: { data: z, dims: [n, D] },
    u: { data: u, dims: [n, L, V] },
    temperature: { data: Float32Array.of(t), dims: [1] },
  });
  return out.ids!;
}

describe('text bundles in infer-web', () => {
  it('loads with data.text and no probability graphs', () => {
    expect(model.manifest.data.kind).toBe('text');
    expect(model.manifest.data.text).toEqual({ tokens, maxLen: 6, lowercase: true });
    expect(model.manifest.graphs).toEqual({});
  });

  it('decodes greedily the strings onnxruntime-node and the interpreter decode', async () => {
    const n = 16;
    const z = uniform(key(1), n * D, { low: -3, high: 3 });
    const got = await model.decodeText(z);
    const u = new Float32Array(n * L * V).fill(0.5);
    expect(got).toEqual(byHand(await nodeIds(z, u, 0)));
    const { graph, outputs } = built.vae.roleGraph('decoder');
    const f = (shape: number[], data: Float32Array) => ({ dtype: 'float32' as const, shape, data });
    const [ids] = interpret(graph, [outputs.ids!], {
      ...built.params,
      z: f([n, D], z),
      u: f([n, L, V], u),
      temperature: f([1], Float32Array.of(0)),
    });
    expect(got).toEqual(byHand(ids!.data as Float32Array));
    expect(got.some((s) => s.length > 0)).toBe(true);
  });

  it('samples as `vae sample` lays out its keys: z from fold(key, 0), u from fold(key, 1)', async () => {
    const n = 8;
    const got = await model.sampleText(n, 42, { temperature: 1 });
    const z = normal(fold(key(42), 0), n * D);
    const u = uniform(fold(key(42), 1), n * L * V);
    expect(got).toEqual(byHand(await nodeIds(z, u, 1)));
    expect(await model.sampleText(n, 42, { temperature: 1 })).toEqual(got);
    expect(await model.decodeText(z, { temperature: 1, key: fold(key(42), 1) })).toEqual(got);
  });

  it('encodes strings (lower-cased, as trained) to the posterior means onnxruntime-node gives', async () => {
    const e = await model.encodeText(['ABC', 'hag', 'a?z', '']);
    const x = Float32Array.from([
      ...[4, 5, 6, 2, 0, 0, 0],
      ...[11, 4, 10, 2, 0, 0, 0],
      ...[4, 3, 3, 2, 0, 0, 0],
      ...[2, 0, 0, 0, 0, 0, 0],
    ]);
    const want = await runNode(built.bundle.files['encoder.onnx']!, { x: { data: x, dims: [4, L] } });
    expect(e.n).toBe(4);
    expect(maxAbsDiff(e.loc, want.loc!)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(e.scale, want.scale!)).toBeLessThanOrEqual(1e-5);
  });

  it('interpolates between the posterior means of two strings, decoded greedily', async () => {
    const got = await model.interpolateText('bad', 'cafe', 5);
    expect(got).toHaveLength(5);
    const { loc } = await model.encodeText(['bad', 'cafe']);
    const ends = await model.decodeText(loc);
    expect([got[0], got[4]]).toEqual(ends);
  });

  it('refuses what a text model cannot take, in one line', async () => {
    await expect(model.encodeText(['abcdefg'])).rejects.toThrow(
      /has 7 characters; this model reads at most 6/,
    );
    await expect(model.decodeText(new Float32Array(D), { temperature: 1 })).rejects.toThrow(/pass a key/);
    await expect(model.sampleText(2, 1, { temperature: -1 })).rejects.toBeInstanceOf(InferError);
    await expect(model.score(new Float32Array(L), 1, 0)).rejects.toThrow(/has no posteriorSample graph/);
    await expect(model.reconstructWindows(new Float32Array(L))).rejects.toThrow(/needs a series bundle/);
    await expect(model.sample(2, 1)).rejects.toThrow(/decodes to strings: use decodeText or sampleText/);
  });
});

describe('text bundles in worker mode', () => {
  it('answers the text methods like the in-page model', async () => {
    const { port1, port2 } = new MessageChannel();
    serveModel(port2 as unknown as MessageEndpoint);
    port1.start();
    port2.start();
    const worker = Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
    const remote = await loadModel(built.bundle.files, { worker });
    try {
      expect(await remote.sampleText(3, 4)).toEqual(await model.sampleText(3, 4));
      expect(await remote.encodeText(['bad'])).toEqual(await model.encodeText(['bad']));
      expect(await remote.decodeText([[0, 1, 2]])).toEqual(await model.decodeText([[0, 1, 2]]));
      expect(await remote.interpolateText('a', 'b', 3)).toEqual(await model.interpolateText('a', 'b', 3));
    } finally {
      await remote.dispose();
    }
  });
});
