import { describe, expect, it } from 'vitest';
import { createDataset } from '../dataset';
import { DatasetShapeError } from '../errors';
import { examplesFromArray, toChannelsFirst } from './array-dataset';

describe('toChannelsFirst', () => {
  it('turns H x W x C into C x H x W: a hand-checked 2x2 RGB example, one copy, uint8 stays uint8', () => {
    // Example 0: pixels (r, g, b) = (1, 2, 3), (4, 5, 6), (7, 8, 9), (10, 11, 12) in row-major order;
    // example 1 is the same plus 100.
    const hwc = Uint8Array.from({ length: 24 }, (_, i) => (i < 12 ? i + 1 : i - 11 + 100));
    const ds = createDataset({
      name: 'rgb',
      dtype: 'uint8',
      data: hwc,
      exampleShape: [2, 2, 3],
      labels: Uint8Array.of(1, 0),
      classNames: ['a', 'b'],
    });
    const chw = toChannelsFirst(ds);
    expect(chw.exampleShape).toEqual([3, 2, 2]);
    expect(chw.dtype).toBe('uint8');
    expect(chw.data).toBeInstanceOf(Uint8Array);
    expect(chw.data).not.toBe(hwc);
    // Red plane, green plane, blue plane, each in row-major pixel order.
    expect(Array.from(chw.data)).toEqual([
      ...[1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12],
      ...[101, 104, 107, 110, 102, 105, 108, 111, 103, 106, 109, 112],
    ]);
    expect(Array.from(chw.labels!)).toEqual([1, 0]);
    expect(chw.classNames).toEqual(['a', 'b']);
    expect(chw.name).toBe('rgb');
    expect(Array.from(hwc.subarray(0, 3))).toEqual([1, 2, 3]); // the input is untouched
  });

  it('shares the storage for one channel ([h, w] or [h, w, 1]) and keeps float32', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i / 12);
    for (const exampleShape of [
      [2, 3],
      [2, 3, 1],
    ]) {
      const ds = createDataset({ name: 'grey', dtype: 'float32', data, exampleShape });
      const chw = toChannelsFirst(ds);
      expect(chw.exampleShape).toEqual([1, 2, 3]);
      expect(chw.data).toBe(data);
      expect(chw.count).toBe(2);
    }
  });

  it('moves a mask with its values', () => {
    const ds = createDataset({
      name: 'masked',
      dtype: 'float32',
      data: Float32Array.of(0, 1, 2, 3, 4, 5),
      exampleShape: [1, 2, 3],
      mask: Uint8Array.of(1, 1, 0, 1, 0, 1),
    });
    const chw = toChannelsFirst(ds);
    expect(Array.from(chw.data)).toEqual([0, 3, 1, 4, 2, 5]);
    expect(Array.from(chw.mask!)).toEqual([1, 1, 1, 0, 0, 1]);
  });

  it('undoes the channels-first read of an N x C x H x W array (the same transpose, both ways)', () => {
    const nchw = Uint8Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => (i * 37) % 251);
    const read = examplesFromArray({ dtype: 'uint8', shape: [2, 3, 4, 5], data: nchw }, 'x.npy', {
      channelsFirst: true,
    });
    expect(read.exampleShape).toEqual([4, 5, 3]);
    const ds = createDataset({
      name: 'x',
      dtype: 'uint8',
      data: read.data as Uint8Array,
      exampleShape: read.exampleShape,
    });
    const back = toChannelsFirst(ds);
    expect(back.exampleShape).toEqual([3, 4, 5]);
    expect(Array.from(back.data)).toEqual(Array.from(nchw));
  });

  it('refuses examples that are not images', () => {
    const ds = createDataset({ name: 'flat', dtype: 'uint8', data: new Uint8Array(6), exampleShape: [3] });
    expect(() => toChannelsFirst(ds)).toThrow(DatasetShapeError);
    expect(() => toChannelsFirst(ds)).toThrow(
      'flat: channels-first needs image examples [h, w] or [h, w, c], got [3]',
    );
  });
});
