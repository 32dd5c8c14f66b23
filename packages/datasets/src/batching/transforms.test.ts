import { describe, expect, it } from 'vitest';
import { createDataset } from '../dataset';
import { DatasetArgumentError } from '../errors';
import { Batcher } from './batcher';
import { materialize } from './materialize';
import { applyTransforms, dynamicBinarize, scaleToUnit, staticBinarize } from './transforms';

const grey = createDataset({
  name: 'grey',
  dtype: 'float32',
  data: Float32Array.from({ length: 200 * 50 }, (_, i) => (i % 11) / 10),
  exampleShape: [50],
});

function byIndex(batcher: Batcher, epoch: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const batch of batcher.epoch(epoch)) {
    batch.indices.forEach((i, r) => {
      out.set(i, [...batch.x.subarray(r * 50, (r + 1) * 50)]);
    });
  }
  return out;
}

describe('transforms', () => {
  it('scaleToUnit maps 0..255 to [0, 1]', () => {
    const x = applyTransforms(Uint8Array.of(0, 51, 255), [scaleToUnit()], {
      epoch: 0,
      indices: Uint32Array.of(0),
      exampleSize: 3,
    });
    expect([...x]).toEqual([0, Math.fround(0.2), 1]);
    expect(() => scaleToUnit(0)).toThrow(DatasetArgumentError);
  });

  it('static threshold binarisation', () => {
    const x = applyTransforms(Float32Array.of(0.2, 0.5, 0.7), [staticBinarize({ threshold: 0.5 })], {
      epoch: 0,
      indices: Uint32Array.of(0),
      exampleSize: 3,
    });
    expect([...x]).toEqual([0, 0, 1]);
  });

  it('static random binarisation is one fixed draw: equal across epochs and batchings', () => {
    const t = staticBinarize({ key: { seed: 5 } });
    const a = byIndex(new Batcher(grey, { batchSize: 16, key: { seed: 1 }, transforms: [t] }), 0);
    const b = byIndex(new Batcher(grey, { batchSize: 7, key: { seed: 2 }, transforms: [t] }), 3);
    expect(a).toEqual(b);
    const all = [...a.values()].flat();
    expect(all.every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('dynamic binarisation draws afresh each epoch, reproducibly, independent of batch order', () => {
    const t = dynamicBinarize({ key: { seed: 9 } });
    const shuffled = new Batcher(grey, { batchSize: 16, key: { seed: 1 }, transforms: [t] });
    const ordered = new Batcher(grey, { batchSize: 64, transforms: [t] });
    expect(byIndex(shuffled, 2)).toEqual(byIndex(ordered, 2));
    expect(byIndex(shuffled, 2)).not.toEqual(byIndex(shuffled, 3));
  });

  it('dynamic binarisation has mean equal to the grey level', () => {
    const p = 0.3;
    const ds = createDataset({
      name: 'p',
      dtype: 'float32',
      data: new Float32Array(100_000).fill(p),
      exampleShape: [100],
    });
    const x = materialize(ds, [dynamicBinarize({ key: { seed: 1 } })], { epoch: 4 }).data;
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    expect(Math.abs(mean - p)).toBeLessThan(0.005);
    const zeroOne = materialize(
      createDataset({ name: 'e', dtype: 'float32', data: Float32Array.of(0, 1), exampleShape: [2] }),
      [dynamicBinarize({ key: { seed: 2 } })],
    ).data;
    expect([...zeroOne]).toEqual([0, 1]);
  });
});
