import { describe, expect, it } from 'vitest';
import { threefry2x32 } from './threefry';

// Known-answer vectors of Threefry-2x32-20 from Random123 (kat_vectors), also used by JAX's tests.
const KAT: Array<{ key: [number, number]; counter: [number, number]; out: [number, number] }> = [
  { key: [0, 0], counter: [0, 0], out: [0x6b200159, 0x99ba4efe] },
  { key: [0xffffffff, 0xffffffff], counter: [0xffffffff, 0xffffffff], out: [0x1cb996fc, 0xbb002be7] },
  { key: [0x13198a2e, 0x03707344], counter: [0x243f6a88, 0x85a308d3], out: [0xc4923a9c, 0x483df7a0] },
];

describe('threefry2x32', () => {
  it.each(KAT)('matches the Random123 known answer for key $key', ({ key, counter, out }) => {
    const result = new Uint32Array(2);
    threefry2x32(key[0], key[1], counter[0], counter[1], result);
    expect([...result]).toEqual(out);
  });
});
