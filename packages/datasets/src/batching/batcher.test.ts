import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDataset } from '../dataset';
import { DatasetArgumentError } from '../errors';
import { Batcher } from './batcher';
import { scaleToUnit } from './transforms';

function indexed(count: number, size = 3) {
  // Example i holds the values i*size .. i*size+size-1 (mod 256), label i % 10.
  const data = Uint8Array.from({ length: count * size }, (_, j) => j % 256);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return createDataset({ name: 'indexed', dtype: 'uint8', data, exampleShape: [size], labels });
}

function epochIndices(b: Batcher, epoch: number): number[] {
  return [...b.epoch(epoch)].flatMap((batch) => [...batch.indices]);
}

describe('Batcher', () => {
  it('visits every example exactly once per epoch (any size, batch size, key, epoch)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.nat(),
        fc.nat(1000),
        (count, batchSize, seed, epoch) => {
          const b = new Batcher(indexed(count), { batchSize, key: { seed } });
          const seen = epochIndices(b, epoch);
          expect(seen.length).toBe(count);
          expect(new Set(seen).size).toBe(count);
          expect(b.batchesPerEpoch).toBe(Math.ceil(count / batchSize));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with dropLast yields only full batches, each example at most once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.nat(),
        (count, batchSize, seed) => {
          const b = new Batcher(indexed(count), { batchSize, key: { seed }, dropLast: true });
          const batches = [...b.epoch(1)];
          expect(batches.length).toBe(Math.floor(count / batchSize));
          for (const batch of batches) expect(batch.size).toBe(batchSize);
          const seen = batches.flatMap((batch) => [...batch.indices]);
          expect(new Set(seen).size).toBe(seen.length);
        },
      ),
    );
  });

  it('gives the same order for the same key and epoch, and different orders across epochs and keys', () => {
    const ds = indexed(1000);
    const a = new Batcher(ds, { batchSize: 32, key: { seed: 7 } });
    const b = new Batcher(ds, { batchSize: 32, key: { seed: 7 } });
    expect(epochIndices(a, 0)).toEqual(epochIndices(b, 0));
    expect(epochIndices(a, 5)).toEqual(epochIndices(b, 5));
    expect(epochIndices(a, 0)).not.toEqual(epochIndices(a, 1));
    const c = new Batcher(ds, { batchSize: 32, key: { seed: 8 } });
    expect(epochIndices(a, 0)).not.toEqual(epochIndices(c, 0));
  });

  it('gathers the right values and labels for shuffled batches', () => {
    const ds = indexed(50);
    const b = new Batcher(ds, { batchSize: 8, key: { seed: 1 } });
    for (const batch of b.epoch(3)) {
      expect(batch.shape).toEqual([batch.size, 3]);
      batch.indices.forEach((i, r) => {
        expect([...batch.x.subarray(r * 3, r * 3 + 3)]).toEqual([...ds.get(i).x]);
        expect(batch.labels![r]).toBe(i % 10);
      });
    }
  });

  it('returns views into the dataset when not shuffling and not transforming', () => {
    const ds = indexed(10);
    const batches = [...new Batcher(ds, { batchSize: 4 }).epoch(0)];
    expect(batches.map((x) => x.size)).toEqual([4, 4, 2]);
    for (const batch of batches) {
      expect(batch.x.buffer).toBe(ds.data.buffer);
      expect(batch.labels!.buffer).toBe(ds.labels!.buffer);
    }
    expect([...batches[2]!.indices]).toEqual([8, 9]);
  });

  it('applies transforms to float32 copies and leaves the dataset alone', () => {
    const ds = indexed(4);
    const before = [...ds.data];
    const [batch] = [...new Batcher(ds, { batchSize: 4, transforms: [scaleToUnit()] }).epoch(0)];
    expect(batch!.dtype).toBe('float32');
    expect(batch!.x[3]).toBeCloseTo(3 / 255, 7);
    expect([...ds.data]).toEqual(before);
  });

  it('rejects bad options', () => {
    const ds = indexed(4);
    expect(() => new Batcher(ds, { batchSize: 0 })).toThrow(DatasetArgumentError);
    expect(() => new Batcher(ds, { batchSize: 2, shuffle: true })).toThrow(/explicit key/);
    expect(() => new Batcher(ds, { batchSize: 2 }).order(-1)).toThrow(DatasetArgumentError);
  });
});
