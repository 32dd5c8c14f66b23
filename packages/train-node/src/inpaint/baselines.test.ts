import { InterpreterBackend } from '@vae/core';
import { describe, expect, it } from 'vitest';
import { OrtBackend } from '../backend/ort-backend';
import { columnMean, fillMissing, knnFill, missingRmse } from './baselines';

// Six training rows of four values, one test row with its last two values missing.
const train = Float32Array.from(
  [
    [0, 0, 0, 0],
    [1, 1, 1, 1],
    [0.1, 0.05, 0.2, 0.4],
    [0.9, 1, 0.6, 0.8],
    [0, 0.3, 1, 1],
    [0.5, 0.5, 0.5, 0.5],
  ].flat(),
);
const x = Float32Array.from([0.05, 0.1, 0.3, 0.9]);
const missing = Float32Array.from([0, 0, 1, 1]);

describe('image baselines', () => {
  it('mean-fill: the per-entry training mean, RMSE as a hand computation gives it', () => {
    const mean = columnMean(train, 6, 4);
    [2.5 / 6, 2.85 / 6, 3.3 / 6, 3.7 / 6].forEach((v, j) => expect(mean[j]).toBeCloseTo(v, 6));
    const filled = fillMissing(x, missing, mean);
    expect(Array.from(filled.subarray(0, 2))).toEqual(Array.from(x.subarray(0, 2)));
    const want = Math.sqrt(((3.3 / 6 - 0.3) ** 2 + (3.7 / 6 - 0.9) ** 2) / 2);
    expect(missingRmse(filled, x, missing)).toBeCloseTo(want, 6);
  });

  it('k-NN: the nearest rows on the observed entries, averaged at the missing ones (interpreter and onnxruntime)', async () => {
    // Squared distances on the first two entries: row 2 0.005, row 0 0.0125, row 4 0.0425, row 5
    // 0.3625, ...: with k = 2 the fill is rows 2 and 0 averaged, ((0.2 + 0) / 2, (0.4 + 0) / 2).
    for (const backend of [new InterpreterBackend(), new OrtBackend({ threads: 1 })]) {
      const got = await knnFill(backend, x, missing, train, 6, 2);
      await backend.dispose();
      expect(got[0]).toBe(x[0]);
      expect(got[1]).toBe(x[1]);
      expect(got[2]).toBeCloseTo(0.1, 6);
      expect(got[3]).toBeCloseTo(0.2, 6);
      const want = Math.sqrt(((0.1 - 0.3) ** 2 + (0.2 - 0.9) ** 2) / 2);
      expect(missingRmse(got, x, missing)).toBeCloseTo(want, 6);
    }
  });

  it('k-NN with k = 1 copies the nearest row, and k larger than the training set averages all', async () => {
    const backend = new InterpreterBackend();
    const x2 = Float32Array.from([0.97, 0.97, 0, 0]);
    const one = await knnFill(backend, x2, missing, train, 6, 1);
    expect(Array.from(one.subarray(2))).toEqual([1, 1]);
    const all = await knnFill(backend, x2, missing, train, 6, 10);
    expect(all[2]).toBeCloseTo(3.3 / 6, 6);
  });
});
