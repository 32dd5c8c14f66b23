import { readFile } from 'node:fs/promises';
import { mnistDefault } from '@vae/datasets';
import { describe, expect, it } from 'vitest';
import { TrainDataError } from '../errors';
import { sampleCsv } from '../test-helpers';
import { DIGITS_VAL_COUNT, readTrainData } from './data';

describe('readTrainData', () => {
  it("splits the digits cache exactly as datasets' splitMnistDefault and vae train do", async () => {
    const node = await mnistDefault(); // the Node loader: writes / reads the same cache file
    const bytes = new Uint8Array(await readFile(node.cachePath));
    const web = readTrainData({ kind: 'digits', bytes }, 1);
    expect(web.image).toEqual({ h: 28, w: 28, c: 1 });
    expect(web.train.exampleShape).toEqual([1, 28, 28]);
    expect(web.train.count + web.val.count).toBe(node.train.count);
    expect(web.val.count).toBe(DIGITS_VAL_COUNT);
    // vae train: the first 7000 of splitMnistDefault's train split train, the last 1000 validate.
    const joined = new Uint8Array(node.train.data.length);
    joined.set(web.train.data);
    joined.set(web.val.data, web.train.data.length);
    expect(Buffer.from(joined).equals(Buffer.from(node.train.data))).toBe(true);
    expect(Buffer.from(web.test.data).equals(Buffer.from(node.test.data))).toBe(true);
    expect([...web.val.labels!]).toEqual([...node.train.labels!.subarray(7000)]);
  });

  it('splits decoded images into train / val / test and keeps them channel-major', () => {
    const count = 50;
    const pixels = Uint8Array.from({ length: count * 4 * 3 * 3 }, (_, i) => i % 251);
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 2);
    const d = readTrainData({ kind: 'images', width: 3, height: 4, channels: 3, pixels, labels }, 1);
    expect(d.train.count + d.val.count + d.test.count).toBe(count);
    expect(d.test.count).toBe(6); // stratified: round(0.1 x 25) = 3 per class
    expect(d.train.exampleShape).toEqual([3, 4, 3]);
    expect(d.image).toEqual({ h: 4, w: 3, c: 3 });
  });

  it('encodes a CSV as vae train does: seeded 80/10/10 split, one-hot categories, a feature mask', () => {
    const d = readTrainData({ kind: 'csv', text: sampleCsv(200) }, 3);
    expect([d.train.count, d.val.count, d.test.count]).toEqual([160, 20, 20]);
    expect(d.train.dtype).toBe('float32');
    expect(d.train.exampleShape).toEqual([6]); // height, weight, 3 colours, tall
    expect(d.tabular!.encodings.map((e) => [e.column.name, e.offset])).toEqual([
      ['height', 0],
      ['weight', 1],
      ['colour', 2],
      ['tall', 5],
    ]);
    expect(d.tabular!.decimals).toEqual({ height: 0, weight: 1 });
    expect(d.train.mask).toBeDefined(); // weight has gaps
    const again = readTrainData({ kind: 'csv', text: sampleCsv(200) }, 4);
    expect(Buffer.from(again.test.data.buffer).equals(Buffer.from(d.test.data.buffer))).toBe(false);
  });

  it('refuses bad data with one-line TrainDataErrors', () => {
    const bad = [
      [{ kind: 'digits', bytes: new Uint8Array(10) }, /digits cache is 10 bytes/],
      [{ kind: 'images', width: 2, height: 2, channels: 1, pixels: new Uint8Array(7) }, /not a whole number/],
      [
        { kind: 'images', width: 2, height: 2, channels: 2, pixels: new Uint8Array(8) },
        /channels must be 1 or 3/,
      ],
      [{ kind: 'csv', text: 'a,b\n1,2' }, /data.csv has 1 data rows: too few to split/],
      [{ kind: 'npy' }, /data.kind must be digits, images or csv, got npy/],
      [undefined, /data must be \{ kind: 'digits' \| 'images' \| 'csv', ... \}, got undefined/],
    ] as const;
    for (const [data, msg] of bad) {
      const e = (() => {
        try {
          readTrainData(data as never, 1);
        } catch (x) {
          return x as Error;
        }
      })();
      expect(e).toBeInstanceOf(TrainDataError);
      expect(e!.message).toMatch(msg);
      expect(e!.message).not.toContain('\n');
    }
  });
});
