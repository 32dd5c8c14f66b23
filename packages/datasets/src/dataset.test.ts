import { describe, expect, it } from 'vitest';
import { createDataset, shapeSize, sliceDataset, subsetDataset } from './dataset';
import { DatasetArgumentError, DatasetShapeError } from './errors';

function small() {
  const data = Uint8Array.from({ length: 5 * 6 }, (_, i) => i);
  return createDataset({
    name: 'small',
    dtype: 'uint8',
    data,
    exampleShape: [2, 3],
    labels: Uint8Array.from([0, 1, 2, 0, 1]),
    classNames: ['a', 'b', 'c'],
  });
}

describe('createDataset', () => {
  it('describes the examples and returns views', () => {
    const ds = small();
    expect(ds.count).toBe(5);
    expect(ds.exampleSize).toBe(6);
    expect(shapeSize(ds.exampleShape)).toBe(6);
    const ex = ds.get(2);
    expect([...ex.x]).toEqual([12, 13, 14, 15, 16, 17]);
    expect(ex.x.buffer).toBe(ds.data.buffer);
    expect(ex.label).toBe(2);
    expect(ex.mask).toBeUndefined();
    expect(() => ds.get(5)).toThrow(DatasetArgumentError);
  });

  it('rejects arrays that disagree', () => {
    const data = new Uint8Array(12);
    expect(() => createDataset({ name: 'x', dtype: 'uint8', data, exampleShape: [5] })).toThrow(
      DatasetShapeError,
    );
    expect(() =>
      createDataset({ name: 'x', dtype: 'uint8', data, exampleShape: [6], labels: new Uint8Array(3) }),
    ).toThrow(/3 labels for 2 examples/);
    expect(() =>
      createDataset({
        name: 'x',
        dtype: 'uint8',
        data,
        exampleShape: [6],
        labels: Uint8Array.of(0, 4),
        classNames: ['a'],
      }),
    ).toThrow(/out of range/);
    expect(() =>
      createDataset({ name: 'x', dtype: 'float32', data: data as never, exampleShape: [6] }),
    ).toThrow(/Float32Array/);
    expect(() =>
      createDataset({ name: 'x', dtype: 'uint8', data, exampleShape: [6], mask: new Uint8Array(3) }),
    ).toThrow(/mask length/);
  });

  it('subsets by copying and slices without copying', () => {
    const ds = small();
    const sub = subsetDataset(ds, [4, 0]);
    expect([...sub.labels!]).toEqual([1, 0]);
    expect([...sub.get(0).x]).toEqual([24, 25, 26, 27, 28, 29]);
    expect(sub.data.buffer).not.toBe(ds.data.buffer);
    const slice = sliceDataset(ds, 1, 3);
    expect(slice.count).toBe(2);
    expect(slice.data.buffer).toBe(ds.data.buffer);
    expect([...slice.get(1).x]).toEqual([...ds.get(2).x]);
    expect(() => sliceDataset(ds, 3, 1)).toThrow(DatasetArgumentError);
    expect(() => subsetDataset(ds, [9])).toThrow(DatasetArgumentError);
  });
});
