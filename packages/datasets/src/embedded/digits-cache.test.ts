import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetShapeError } from '../errors';
import { decodeDigitsCache, encodeDigitsCache } from './digits-cache';

describe('digits cache format', () => {
  const contents = {
    count: 2,
    rows: 2,
    cols: 3,
    images: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
    labels: Uint8Array.of(7, 3),
  };

  it('round-trips', () => {
    const decoded = decodeDigitsCache(encodeDigitsCache(contents), 'c.bin');
    expect(decoded.count).toBe(2);
    expect([...decoded.images]).toEqual([...contents.images]);
    expect([...decoded.labels]).toEqual([7, 3]);
  });

  it('rejects any truncation, extension or header damage with a typed error', () => {
    const bytes = encodeDigitsCache(contents);
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), fc.nat(3), (at, xor, mode) => {
        let bad: Uint8Array;
        if (mode === 0) bad = bytes.subarray(0, at);
        else if (mode === 1) bad = Uint8Array.from([...bytes, xor]);
        else {
          bad = bytes.slice();
          const where = at % 24; // magic, version, count, rows, cols
          bad[where] = bad[where]! ^ xor;
        }
        expect(() => decodeDigitsCache(bad, 'c.bin')).toThrow(DatasetShapeError);
      }),
    );
  });
});
