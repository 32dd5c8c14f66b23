import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { npyBytes } from '../data/test-helpers';
import { buildMasks, parseMask, readMaskFile } from './masks';

const grey = { h: 4, w: 6, c: 1 };
const rgb = { h: 4, w: 6, c: 3 };
const plane = (m: Float32Array, i = 0, h = 4, w = 6) =>
  Array.from({ length: h }, (_, y) =>
    Array.from(m.subarray(i * h * w + y * w, i * h * w + (y + 1) * w)).join(''),
  );

describe('parseMask', () => {
  it('reads the three forms and their defaults', () => {
    expect(parseMask('centre')).toEqual({ kind: 'centre' });
    expect(parseMask('center:3')).toEqual({ kind: 'centre', size: 3 });
    expect(parseMask('random:0.5')).toEqual({ kind: 'random', p: 0.5 });
    expect(parseMask('half')).toEqual({ kind: 'half', side: 'bottom' });
    expect(parseMask('half:left')).toEqual({ kind: 'half', side: 'left' });
  });

  it('refuses bad values in one line naming the value and the forms', () => {
    expect(() => parseMask('random')).toThrow(/--mask random: P must be a number between 0 and 1/);
    expect(() => parseMask('random:1.5')).toThrow(/between 0 and 1/);
    expect(() => parseMask('centre:0')).toThrow(/SIZE must be a positive integer/);
    expect(() => parseMask('half:middle')).toThrow(/unknown side "middle"/);
    expect(() => parseMask('square')).toThrow(/--mask square: unknown mask "square" \(--mask takes centre/);
    expect(() => parseMask('half:top:1')).toThrow(/too many parts/);
  });
});

describe('buildMasks', () => {
  it('puts the centre square in the middle and halves where named', () => {
    expect(plane(buildMasks({ kind: 'centre' }, 1, grey, 1))).toEqual([
      '000000',
      '001100',
      '001100',
      '000000',
    ]);
    // An odd leftover row or column goes below and to the right.
    expect(plane(buildMasks({ kind: 'centre', size: 3 }, 1, grey, 1))).toEqual([
      '011100',
      '011100',
      '011100',
      '000000',
    ]);
    expect(plane(buildMasks({ kind: 'half', side: 'bottom' }, 1, grey, 1))).toEqual([
      '000000',
      '000000',
      '111111',
      '111111',
    ]);
    expect(plane(buildMasks({ kind: 'half', side: 'left' }, 1, grey, 1))[0]).toBe('111000');
    expect(() => buildMasks({ kind: 'centre', size: 5 }, 1, grey, 1)).toThrow(/does not fit 4x6 images/);
  });

  it('removes a pixel in every channel of an RGB image', () => {
    const m = buildMasks({ kind: 'random', p: 0.5 }, 2, rgb, 3);
    for (let i = 0; i < 2; i++)
      for (let p = 0; p < 24; p++) {
        expect(m[(i * 3 + 1) * 24 + p]).toBe(m[i * 3 * 24 + p]);
        expect(m[(i * 3 + 2) * 24 + p]).toBe(m[i * 3 * 24 + p]);
      }
  });

  it('random:P removes about P of the pixels, the same for a seed whatever n is', () => {
    const big = buildMasks({ kind: 'random', p: 0.3 }, 200, grey, 1);
    const share = big.reduce((a, b) => a + b, 0) / big.length;
    expect(Math.abs(share - 0.3)).toBeLessThan(0.02);
    expect(buildMasks({ kind: 'random', p: 0.3 }, 5, grey, 1)).toEqual(big.subarray(0, 5 * 24));
    expect(buildMasks({ kind: 'random', p: 0.3 }, 5, grey, 2)).not.toEqual(big.subarray(0, 5 * 24));
  });
});

describe('readMaskFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vae-masks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, shape: number[], data: Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, npyBytes('|u1', shape, data));
    return p;
  };

  it('takes one mask for all images or one per image, applied to every channel', async () => {
    const one = Uint8Array.from({ length: 24 }, (_, p) => (p % 5 === 0 ? 1 : 0));
    const all = await readMaskFile(file('one.npy', [4, 6], one), 2, rgb);
    expect(all.length).toBe(2 * 3 * 24);
    for (let t = 0; t < all.length; t++) expect(all[t]).toBe(one[t % 24]);
    const per = Uint8Array.from({ length: 3 * 24 }, (_, t) => (t < 24 ? 1 : 0));
    const each = await readMaskFile(file('per.npy', [3, 4, 6], per), 2, grey);
    expect(Array.from(each)).toEqual(Array.from(per.subarray(0, 48)));
  });

  it('refuses another shape, values other than 0/1, and a mask with nothing missing', async () => {
    await expect(readMaskFile(file('s.npy', [5, 6], new Uint8Array(30)), 1, grey)).rejects.toThrow(
      /has shape \[5, 6\]; give \[4, 6\]/,
    );
    await expect(readMaskFile(file('v.npy', [4, 6], new Uint8Array(24).fill(2)), 1, grey)).rejects.toThrow(
      /values must be 0 \(observed\) or 1 \(missing\), found 2/,
    );
    await expect(readMaskFile(file('z.npy', [4, 6], new Uint8Array(24)), 1, grey)).rejects.toThrow(
      /marks no pixel missing/,
    );
    await expect(
      readMaskFile(file('few.npy', [1, 4, 6], new Uint8Array(24).fill(1)), 2, grey),
    ).rejects.toThrow(/n >= 2/);
  });
});
