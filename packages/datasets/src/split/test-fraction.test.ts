import { describe, expect, it } from 'vitest';
import { createDataset } from '../dataset';
import { DatasetArgumentError } from '../errors';
import { splitTestFraction } from './test-fraction';

const labels = Uint8Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
const ds = createDataset({
  name: 'd',
  dtype: 'uint8',
  data: Uint8Array.from({ length: 200 }, (_, i) => i % 256),
  exampleShape: [2],
  labels,
  classNames: ['a', 'b'],
});

describe('splitTestFraction', () => {
  it('is deterministic, disjoint, complete and stratified by label', () => {
    const a = splitTestFraction(ds, 0.25, { seed: 3 });
    const b = splitTestFraction(ds, 0.25, { seed: 3 });
    expect(a.testIndices).toEqual(b.testIndices);
    expect(splitTestFraction(ds, 0.25, { seed: 4 }).testIndices).not.toEqual(a.testIndices);
    expect(a.test.count).toBe(25);
    expect([...a.test.labels!].filter((l) => l === 1)).toHaveLength(5);
    const all = new Set([...a.trainIndices, ...a.testIndices]);
    expect(all.size).toBe(100);
    expect([...a.test.get(0).x]).toEqual([...ds.get(a.testIndices[0]!).x]);
    expect(a.train.name).toBe('d/train');
  });

  it('splits unlabelled (or unstratified) data by count, and refuses bad fractions', () => {
    const s = splitTestFraction(ds, 0.1, { seed: 0 }, { stratify: false });
    expect(s.test.count).toBe(10);
    expect(() => splitTestFraction(ds, 1, { seed: 0 })).toThrow(DatasetArgumentError);
    expect(() => splitTestFraction(ds, 0.001, { seed: 0 })).toThrow(/leaves no test examples/);
  });
});
