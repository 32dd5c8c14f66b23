import { createBundle, type HostTensor, key, mlpVAE, split } from '@vae/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaeModel } from './api';
import { gridRGBA, toRGBA } from './image';
import { loadModel } from './load';
import { build } from './test-helpers';

let model: VaeModel;
beforeAll(async () => {
  model = await loadModel((await build(mlpVAE({ inputSize: 784, hidden: [32], latent: 4 }), 9)).bundle.files);
});
afterAll(() => model.dispose());

const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
const row = (a: Float32Array, i: number, w: number) => Array.from(a.subarray(i * w, (i + 1) * w));

describe('sample', () => {
  it('is a function of the key: same key same output, another key another output', async () => {
    const [k1, k2] = split(key(5));
    const a = await model.sample(8, k1!);
    const b = await model.sample(8, k1!);
    const c = await model.sample(8, k2!);
    expect(Array.from(b.params)).toEqual(Array.from(a.params));
    expect(Array.from(c.z)).not.toEqual(Array.from(a.z));
    expect(Array.from(c.params)).not.toEqual(Array.from(a.params));
    expect(Array.from((await model.sample(8, 3)).z)).toEqual(Array.from((await model.sample(8, key(3))).z));
  });

  it('scales z by the temperature', async () => {
    const a = await model.sample(5, 1);
    const half = await model.sample(5, 1, { temperature: 0.5 });
    half.z.forEach((v, i) => expect(v).toBeCloseTo(a.z[i]! * 0.5, 6));
    const zero = await model.sample(3, 1, { temperature: 0 });
    expect(Array.from(zero.z).every((v) => v === 0)).toBe(true);
  });

  it('draws from a mixture prior by its weights and components', async () => {
    const vae = mlpVAE({ inputSize: 6, hidden: [4], latent: 2, prior: { type: 'mog', components: 2 } });
    const p: Record<string, HostTensor> = { ...vae.init(key(1)) };
    p['prior.logits'] = { dtype: 'float32', shape: [2], data: Float32Array.from([0, Math.log(3)]) };
    p['prior.loc'] = { dtype: 'float32', shape: [2, 2], data: Float32Array.from([-10, -10, 10, 10]) };
    p['prior.logScale'] = { dtype: 'float32', shape: [2, 2], data: new Float32Array(4).fill(Math.log(0.1)) };
    const m = await loadModel((await createBundle(vae, p)).files);
    const s = await m.sample(4000, 2);
    let right = 0;
    let strays = 0;
    for (let i = 0; i < 4000; i++) {
      const [x, y] = row(s.z, i, 2) as [number, number];
      if (Math.abs(Math.abs(x) - 10) > 0.6 || Math.sign(x) !== Math.sign(y)) strays++;
      if (x > 0) right++;
    }
    expect(strays).toBe(0); // every draw sits on one component (scale 0.1)
    expect(right / 4000).toBeGreaterThan(0.72); // weight 0.75; 4000 draws: sd 0.007
    expect(right / 4000).toBeLessThan(0.78);
    await m.dispose();
  });
});

describe('interpolate and traverse', () => {
  const a = Float32Array.from([1.5, -0.25, 0.75, 2]);
  const b = Float32Array.from([-0.5, 1, 2.25, -1]);

  it('hits both endpoints exactly (lerp and slerp) and decodes them like decode', async () => {
    for (const mode of ['lerp', 'slerp'] as const) {
      const path = await model.interpolate(a, b, 7, mode);
      expect(path.n).toBe(7);
      expect(row(path.z, 0, 4)).toEqual(Array.from(a));
      expect(row(path.z, 6, 4)).toEqual(Array.from(b));
      const ends = await model.decode([a, b]);
      expect(row(path.params, 0, 784)).toEqual(row(ends.params, 0, 784));
      expect(row(path.params, 6, 784)).toEqual(row(ends.params, 1, 784));
    }
  });

  it('slerp keeps the norm between equal-norm endpoints (lerp cuts inside), and moves it linearly otherwise', async () => {
    const b2 = b.map((v) => (v * norm(a)) / norm(b));
    const s = await model.interpolate(a, b2, 9, 'slerp');
    const l = await model.interpolate(a, b2, 9, 'lerp');
    for (let i = 0; i < 9; i++) expect(norm(row(s.z, i, 4))).toBeCloseTo(norm(a), 5);
    expect(norm(row(l.z, 4, 4))).toBeLessThan(norm(a) - 0.1);
    const u = await model.interpolate(a, b, 5, 'slerp');
    for (let i = 0; i < 5; i++)
      expect(norm(row(u.z, i, 4))).toBeCloseTo(((4 - i) * norm(a) + i * norm(b)) / 4, 5);
    // lerp midpoint is the average
    row(l.z, 4, 4).forEach((v, d) => expect(v).toBeCloseTo((a[d]! + b2[d]!) / 2, 6));
  });

  it('traverse sets one coordinate per row and keeps the rest', async () => {
    const values = [-3, -1, 0, 1, 3];
    const t = await model.traverse(a, 2, values);
    expect(t.n).toBe(5);
    values.forEach((v, i) => expect(row(t.z, i, 4)).toEqual([a[0], a[1], v, a[3]]));
    const direct = await model.decode(t.z);
    expect(Array.from(t.params)).toEqual(Array.from(direct.params));
  });
});

describe('pictures', () => {
  it('Bernoulli logits become probabilities (mean) or 0/1 pixels (sample)', async () => {
    const d = await model.sample(2, 4);
    const probs = await model.toData(d.params);
    probs.forEach((p, i) => expect(p).toBeCloseTo(1 / (1 + Math.exp(-d.params[i]!)), 6));
    const rgba = await model.toRGBA(d.params, { index: 1 });
    expect(rgba.length).toBe(28 * 28 * 4);
    for (const p of [0, 100, 783]) {
      const want = Math.round(probs[784 + p]! * 255);
      expect([rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2], rgba[4 * p + 3]]).toEqual([
        want,
        want,
        want,
        255,
      ]);
    }
    const drawn = await model.toRGBA(d.params, { mode: 'sample', key: 1 });
    expect(new Set(drawn.filter((_, i) => i % 4 === 0))).toEqual(new Set([0, 255]));
    expect(Array.from(await model.toRGBA(d.params, { mode: 'sample', key: 1 }))).toEqual(Array.from(drawn));
    await expect(model.toRGBA(d.params, { index: 2 })).rejects.toThrow(
      expect.objectContaining({ reason: 'input' }),
    );
    await expect(model.toRGBA(d.params, { mode: 'sample' })).rejects.toThrow(/needs a key/);
  });

  it('toRGBA maps C x H x W values (grey or RGB), gridRGBA tiles a batch', () => {
    const rgb = Float32Array.from([0, 1, 0.5, 0.25, 1, 0, 0.5, 0, 0, 0.5, 1, 2]); // 3 x 2 x 2
    const px = toRGBA(rgb, { h: 2, w: 2, c: 3 });
    expect(Array.from(px.subarray(0, 8))).toEqual([0, 255, 0, 255, 255, 0, 128, 255]);
    expect(px[4 * 3 + 2]).toBe(255); // 2 clamps to 255
    const grid = gridRGBA(new Float32Array(6 * 4).fill(1), { h: 2, w: 2, c: 1 }, 6, 3, { gap: 1 });
    expect([grid.width, grid.height]).toEqual([8, 5]);
    expect(grid.rgba[0]).toBe(255);
    expect(grid.rgba[(2 * 8 + 0) * 4 + 3]).toBe(0); // the gap row is transparent
  });
});
