import fc from 'fast-check';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DatasetError, NpyFormatError } from '../errors';
import { arrayDataset } from './array-dataset';
import { readNpyHeader } from './npy-header';
import { parseNpy } from './npy-parser';
import { parseNpz } from './npz';

/** An .npy file as numpy 1.x writes it (version 1.0 unless asked, header padded to 64 bytes). */
function npy(
  descr: string,
  shape: number[],
  data: Uint8Array,
  opts: { fortran?: boolean; major?: number } = {},
) {
  const major = opts.major ?? 1;
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${dims}, }`;
  const pre = major === 1 ? 10 : 12;
  dict += `${' '.repeat((64 - ((pre + dict.length + 1) % 64)) % 64)}\n`;
  const out = new Uint8Array(pre + dict.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, dict.length, true);
  else view.setUint32(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[pre + i] = dict.charCodeAt(i);
  out.set(data, pre + dict.length);
  return out;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function problemOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof NpyFormatError) return error.problem;
    throw error;
  }
  return 'ok';
}

describe('parseNpy', () => {
  it('reads uint8 as a view on the bytes and float32 without copying when aligned', () => {
    const file = npy('|u1', [2, 3], Uint8Array.of(1, 2, 3, 4, 5, 6));
    const a = parseNpy(file, 'a.npy');
    expect(a.shape).toEqual([2, 3]);
    expect(a.data.buffer).toBe(file.buffer);
    const f = Float32Array.of(0.5, -1, 3e38, 7);
    const b = parseNpy(npy('<f4', [4, 1], bytesOf(f), { major: 2 }));
    expect(b.data).toEqual(f);
    expect(b.header.version).toEqual([2, 0]);
  });

  it('transposes column-major arrays', () => {
    // [[1, 2, 3], [4, 5, 6]] stored column-major: 1 4 2 5 3 6
    const a = parseNpy(npy('|u1', [2, 3], Uint8Array.of(1, 4, 2, 5, 3, 6), { fortran: true }));
    expect([...a.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('names unsupported dtypes and the supported ones', () => {
    const e = () =>
      parseNpy(npy('>f4', [1, 1], new Uint8Array(4)), 'be.npy', { dtypes: ['uint8', 'float32'] });
    expect(e).toThrow(/^be\.npy: big-endian dtype '>f4'.*supported: uint8 \(\|u1\), float32 \(<f4\)/);
    expect(problemOf(() => parseNpy(npy('|O', [1], new Uint8Array(8))))).toBe('bad-dtype');
  });

  it('gives typed errors for truncation, trailing bytes and header lies', () => {
    const good = npy('<f4', [2, 2], new Uint8Array(16));
    expect(problemOf(() => parseNpy(good.subarray(0, good.length - 1)))).toBe('truncated');
    expect(problemOf(() => parseNpy(good.subarray(0, 9)))).toBe('truncated');
    expect(problemOf(() => parseNpy(Uint8Array.of(...good, 0)))).toBe('trailing-data');
    expect(problemOf(() => parseNpy(npy('<f4', [2, 3], new Uint8Array(16))))).toBe('truncated');
    expect(problemOf(() => parseNpy(npy('<f4', [1e6, 1e6, 1e6], new Uint8Array(16))))).toBe('too-large');
    expect(problemOf(() => parseNpy(Uint8Array.of(0x50, 0x4b, 3, 4)))).toBe('bad-magic');
    const v9 = good.slice();
    v9[6] = 9;
    expect(problemOf(() => parseNpy(v9))).toBe('bad-version');
    const renamed = good.slice();
    renamed[renamed.indexOf(0x68 /* h of 'shape' */, 40)] = 0x5f;
    expect(problemOf(() => parseNpy(renamed))).toBe('bad-header');
  });

  it('fuzz: random bytes, truncations and header mutations give a typed error or a valid array', () => {
    const base = npy('<f4', [3, 2], bytesOf(Float32Array.of(1, 2, 3, 4, 5, 6)));
    const check = (bytes: Uint8Array) => {
      try {
        const a = parseNpy(bytes, 'f.npy');
        expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
      } catch (error) {
        expect(error).toBeInstanceOf(NpyFormatError);
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => check(b)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.nat(base.length), (n) => check(base.subarray(0, n))),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (edits) => {
          const b = base.slice();
          for (const [at, v] of edits) b[at] = v;
          check(b);
        },
      ),
      { numRuns: 1000 },
    );
    const header = new TextDecoder().decode(base.subarray(10, 74));
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.nat(header.length), (s, at) => {
        const text = header.slice(0, at) + s + header.slice(at);
        check(npyWithHeader(text, base.subarray(74)));
      }),
      { numRuns: 1000 },
    );
    check(npyWithHeader(`{'descr': ${'('.repeat(5000)}`, new Uint8Array(0)));
  });
});

function npyWithHeader(text: string, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(text);
  const out = new Uint8Array(10 + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8]);
  out.set(h, 10);
  out.set(data, 10 + h.length);
  return out;
}

describe('readNpyHeader', () => {
  it('asks for more bytes until the header is complete', () => {
    const file = npy('|u1', [1, 1], Uint8Array.of(7));
    expect(readNpyHeader(file.subarray(0, 20), 'x')).toBeUndefined();
    expect(readNpyHeader(file, 'x')?.dataOffset).toBe(128);
  });
});

describe('parseNpz', () => {
  const x = npy('|u1', [2, 2], Uint8Array.of(1, 2, 3, 4));
  const y = npy('<i8', [2], bytesOf(BigInt64Array.of(0n, 1n)));
  it('reads stored and deflated members', () => {
    for (const level of [0, 6] as const) {
      const zip = zipSync({ 'x.npy': x, 'y.npy': y }, { level });
      const c = parseNpz(zip, 'd.npz', { keys: ['x', 'y'] });
      expect(c.keys).toEqual(['x', 'y']);
      expect([...c.arrays.get('x')!.data]).toEqual([1, 2, 3, 4]);
    }
  });

  it('fuzz: corrupt archives give a typed error', () => {
    const zip = zipSync({ 'x.npy': x }, { level: 6 });
    fc.assert(
      fc.property(
        fc.nat(zip.length - 1),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(zip.length),
        (at, v, cut) => {
          const b = zip.slice(0, Math.max(cut, 1));
          if (at < b.length) b[at] = v;
          try {
            parseNpz(b, 'z.npz', { keys: ['x'] });
          } catch (error) {
            expect(error).toBeInstanceOf(DatasetError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('arrayDataset', () => {
  it('keeps uint8, transposes channels-first to channels-last, checks labels', () => {
    const data = Uint8Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i);
    const x = { array: { dtype: 'uint8', shape: [2, 3, 2, 2], data }, source: 'x.npy' };
    const { dataset, notes } = arrayDataset('d', x, undefined, { channelsFirst: true });
    expect(dataset.exampleShape).toEqual([2, 2, 3]);
    // example 0, pixel (0, 1), channels 0..2 = values at c*4 + 1
    expect([...dataset.get(0).x.subarray(3, 6)]).toEqual([1, 5, 9]);
    expect(notes[0]).toMatch(/transposed/);
    expect(() => arrayDataset('d', x)).not.toThrow();
    const nchw = {
      array: { dtype: 'uint8', shape: [1, 3, 8, 8], data: new Uint8Array(192) },
      source: 'p.npy',
    };
    expect(() => arrayDataset('d', nchw)).toThrow(/looks channels-first/);
    expect(arrayDataset('d', nchw, undefined, { channelsFirst: false }).dataset.exampleShape).toEqual([
      3, 8, 8,
    ]);
    const y = { array: { dtype: 'int64', shape: [3], data: BigInt64Array.of(0n, 1n, 2n) }, source: 'y.npy' };
    expect(() => arrayDataset('d', x, y)).toThrow(/^y\.npy: 3 labels, but x\.npy holds 2 examples/);
    const neg = { array: { dtype: 'int32', shape: [2], data: Int32Array.of(0, -1) }, source: 'y.npy' };
    expect(() => arrayDataset('d', x, neg)).toThrow(/label -1 at index 1 is outside 0\.\.255/);
    const ok = { array: { dtype: 'int32', shape: [2], data: Int32Array.of(0, 4) }, source: 'y.npy' };
    expect(arrayDataset('d', x, ok).dataset.classNames).toEqual(['0', '1', '2', '3', '4']);
  });
});
