import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdxFormatError } from '../errors';
import { encodeIdx, type IdxArray, type IdxDType } from './idx-format';
import { IdxAccumulator, parseIdx } from './idx-parser';

const DTYPES: IdxDType[] = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];

/** A random valid IDX array (small). */
const arbIdx: fc.Arbitrary<IdxArray> = fc
  .record({
    dtype: fc.constantFrom(...DTYPES),
    shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
    seed: fc.nat(),
  })
  .map(({ dtype, shape, seed }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, (_, i) => ((seed + i * 7919) % 251) - 120);
    const data = {
      uint8: () => Uint8Array.from(values, (v) => v + 120),
      int8: () => Int8Array.from(values),
      int16: () => Int16Array.from(values, (v) => v * 250),
      int32: () => Int32Array.from(values, (v) => v * 1_000_003),
      float32: () => Float32Array.from(values, (v) => v / 8),
      float64: () => Float64Array.from(values, (v) => v / 3),
    }[dtype]();
    return { dtype, shape, data } as IdxArray;
  });

function header(dtype: number, dims: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  out[2] = dtype;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d);
  });
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function problemOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof IdxFormatError) return error.problem;
    throw error;
  }
  return 'ok';
}

describe('parseIdx', () => {
  it('round-trips every dtype through encodeIdx', () => {
    fc.assert(
      fc.property(arbIdx, (array) => {
        const parsed = parseIdx(encodeIdx(array), 'x.idx');
        expect(parsed.dtype).toBe(array.dtype);
        expect(parsed.shape).toEqual(array.shape);
        expect([...parsed.data]).toEqual([...array.data]);
      }),
    );
  });

  it('names the file and the problem for each kind of bad input', () => {
    const good = concat(header(0x08, [2, 3]), new Uint8Array(6));
    const cases: Array<[Uint8Array, string, RegExp]> = [
      [Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 0), 'bad-magic', /two zero bytes/],
      [Uint8Array.of(0x1f, 0x8b, 8, 0), 'bad-magic', /gzip/],
      [header(0x07, [1]), 'bad-dtype', /0x07/],
      [header(0x08, []), 'bad-rank', /rank 0/],
      [good.subarray(0, 3), 'truncated', /header/],
      [good.subarray(0, 9), 'truncated', /only 9 bytes, the header needs 12 for rank 2/],
      [good.subarray(0, 13), 'truncated', /need 18 bytes in all, but the file has 13/],
      [good.subarray(0, 15), 'truncated', /\[2, 3\]/],
      [concat(good, Uint8Array.of(1)), 'trailing-data', /file has 19/],
      [concat(header(0x08, [3, 3]), new Uint8Array(6)), 'truncated', /\[3, 3\]/],
      [concat(header(0x0d, [2]), new Uint8Array(6)), 'truncated', /float32/],
    ];
    for (const [bytes, problem, message] of cases) {
      let error: unknown;
      try {
        parseIdx(bytes, 'data/foo-idx1-ubyte');
      } catch (e) {
        error = e;
      }
      expect(error, problem).toBeInstanceOf(IdxFormatError);
      expect((error as IdxFormatError).problem).toBe(problem);
      expect((error as Error).message).toMatch(/^data\/foo-idx1-ubyte: /);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('refuses absurd header sizes before allocating', () => {
    // 4e9 * 4e9 elements: would throw RangeError (or exhaust memory) if allocated.
    const huge = header(0x08, [0xfffffff0, 0xfffffff0, 16]);
    expect(problemOf(() => parseIdx(huge, 'huge'))).toBe('too-large');
    expect(() => parseIdx(header(0x0e, [1 << 20]), 'big', { maxBytes: 1024 })).toThrow(
      /over the limit of 1024/,
    );
    // In streaming mode (no known total length) too.
    const acc = new IdxAccumulator('stream');
    expect(() => acc.push(huge)).toThrow(/too-large|over the limit/);
  });

  it('checks expected dtype and rank', () => {
    const labels = encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array(3) });
    expect(problemOf(() => parseIdx(labels, 'l', { rank: 3 }))).toBe('unexpected-content');
    expect(problemOf(() => parseIdx(labels, 'l', { dtype: 'float32' }))).toBe('unexpected-content');
  });

  it('gives the same result however the bytes are chunked', () => {
    fc.assert(
      fc.property(arbIdx, fc.array(fc.nat(), { maxLength: 8 }), (array, cuts) => {
        const bytes = encodeIdx(array);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const acc = new IdxAccumulator('chunks');
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          acc.push(bytes.subarray(prev, p));
          prev = p;
        }
        const parsed = acc.finish();
        expect(parsed.shape).toEqual(array.shape);
        expect([...parsed.data]).toEqual([...array.data]);
      }),
    );
  });
});

describe('parseIdx under random corruption', () => {
  const run = (bytes: Uint8Array): string => problemOf(() => parseIdx(bytes, 'corrupt.idx'));

  it('truncation anywhere is reported as truncated (never a crash or a short array)', () => {
    fc.assert(
      fc.property(arbIdx, fc.nat(), (array, cut) => {
        const bytes = encodeIdx(array);
        fc.pre(bytes.length > 0);
        const n = cut % bytes.length; // strictly shorter
        expect(run(bytes.subarray(0, n))).toBe('truncated');
      }),
      { numRuns: 300 },
    );
  });

  it('appended bytes are reported as trailing data', () => {
    fc.assert(
      fc.property(arbIdx, fc.uint8Array({ minLength: 1, maxLength: 20 }), (array, extra) => {
        expect(run(concat(encodeIdx(array), extra))).toBe('trailing-data');
      }),
    );
  });

  it('a corrupted header byte either fails with a typed error or still describes the data exactly', () => {
    fc.assert(
      fc.property(arbIdx, fc.nat(), fc.integer({ min: 1, max: 255 }), (array, where, xor) => {
        const bytes = encodeIdx(array);
        const headerBytes = 4 + 4 * array.shape.length;
        const corrupt = bytes.slice();
        const at = where % headerBytes;
        corrupt[at] = corrupt[at]! ^ xor;
        let parsed: IdxArray | undefined;
        try {
          parsed = parseIdx(corrupt, 'corrupt.idx');
        } catch (error) {
          expect(error).toBeInstanceOf(IdxFormatError);
          return;
        }
        // Accepted: then the header it read accounts for every byte of the file.
        const elements = parsed.shape.reduce((a, b) => a * b, 1);
        expect(parsed.data.length).toBe(elements);
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes never crash the parser', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect([
          'ok',
          'bad-magic',
          'bad-dtype',
          'bad-rank',
          'truncated',
          'trailing-data',
          'too-large',
        ]).toContain(run(bytes));
      }),
      { numRuns: 500 },
    );
  });
});
