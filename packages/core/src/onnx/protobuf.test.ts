import { describe, expect, it } from 'vitest';
import { OnnxDecodeError, ProtoReader, ProtoWriter, WireType } from './protobuf';

const bytesOf = (write: (w: ProtoWriter) => void): number[] => {
  const w = new ProtoWriter();
  write(w);
  return [...w.finish()];
};
const reader = (bytes: number[]) => new ProtoReader(Uint8Array.from(bytes));
const decodeError = (read: () => unknown): OnnxDecodeError => {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxDecodeError);
    return e as OnnxDecodeError;
  }
  throw new Error('expected an OnnxDecodeError');
};

describe('varints', () => {
  const cases: [number, number[]][] = [
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
    [2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]],
    [2 ** 53 - 1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]],
    [-1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    [-2, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    [-(2 ** 31), [0x80, 0x80, 0x80, 0x80, 0xf8, 0xff, 0xff, 0xff, 0xff, 0x01]],
    [-(2 ** 53 - 1), [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xf0, 0xff, 0x01]],
  ];
  it.each(cases)('%d encodes to the protobuf int64 bytes and reads back', (value, expected) => {
    expect(bytesOf((w) => w.rawVarint(value))).toEqual(expected);
    const r = reader(expected);
    expect(r.varint()).toBe(value);
    expect(r.done()).toBe(true);
  });

  it('keeps int64 values beyond 2^53 exact as words, but refuses them as numbers', () => {
    const int64Max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
    expect(reader(int64Max).varint64()).toEqual([0xffffffff, 0x7fffffff]);
    expect(decodeError(() => reader(int64Max).varint()).message).toBe('varint beyond 2^53 at byte 0');
    const int64Min = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
    expect(bytesOf((w) => w.rawVarint(-(2 ** 63)))).toEqual(int64Min);
    expect(reader(int64Min).varint64()).toEqual([0, 0x80000000]);
    expect(() => reader(int64Min).varint()).toThrow(OnnxDecodeError);
  });

  it('refuses to write values that a double cannot hold exactly', () => {
    expect(() => bytesOf((w) => w.rawVarint(2 ** 53))).toThrow(RangeError);
    expect(() => bytesOf((w) => w.rawVarint(1.5))).toThrow(RangeError);
    expect(() => bytesOf((w) => w.rawVarint(Number.NaN))).toThrow(RangeError);
  });

  it('rejects truncated and over-long varints with their offset', () => {
    const r = reader([0x01, 0x80, 0x80]);
    r.varint();
    expect(decodeError(() => r.varint()).message).toBe('truncated varint at byte 1');
    expect(decodeError(() => reader(Array(11).fill(0x80)).varint()).message).toBe(
      'varint longer than 10 bytes at byte 0',
    );
  });
});

describe('fields', () => {
  it('writes tags, floats, strings and sub-messages that read back', () => {
    const bytes = bytesOf((w) => {
      w.varint(1, 150);
      w.float(2, 1.5);
      w.string(3, 'héllo ✓');
      w.message(4, (m) => m.varint(1, -1));
      w.bytes(5, Uint8Array.of(9, 8, 7));
      w.varint(1000, 1);
    });
    expect(bytes.slice(0, 3)).toEqual([0x08, 0x96, 0x01]); // the example from the protobuf docs
    const r = reader(bytes);
    expect(r.tag()).toEqual([1, WireType.VARINT]);
    expect(r.varint()).toBe(150);
    expect(r.tag()).toEqual([2, WireType.I32]);
    expect(r.float()).toBe(1.5);
    expect(r.tag()).toEqual([3, WireType.LEN]);
    expect(r.string()).toBe('héllo ✓');
    expect(r.tag()).toEqual([4, WireType.LEN]);
    const sub = r.sub();
    expect(sub.tag()).toEqual([1, WireType.VARINT]);
    expect(sub.varint()).toBe(-1);
    expect(sub.done()).toBe(true);
    expect(r.tag()).toEqual([5, WireType.LEN]);
    expect([...r.bytes()]).toEqual([9, 8, 7]);
    expect(r.tag()).toEqual([1000, WireType.VARINT]);
    expect(r.varint()).toBe(1);
    expect(r.done()).toBe(true);
  });

  it('grows its buffer past the initial size', () => {
    const big = new Uint8Array(100_000).map((_, k) => k % 251);
    const r = reader(bytesOf((w) => w.bytes(1, big)));
    r.tag();
    expect(r.bytes()).toEqual(big);
  });

  it('reads repeated scalars both packed and one per tag', () => {
    const bytes = bytesOf((w) => {
      w.packedVarints(1, [1, 300, -1]);
      w.varint(1, 7);
      w.packedFloats(2, [0.5, -2]);
      w.float(2, 3);
    });
    expect(bytes.slice(0, 2)).toEqual([0x0a, 13]); // one LEN record: 1 + 2 + 10 bytes
    const ints: number[] = [];
    const floats: number[] = [];
    const r = reader(bytes);
    while (!r.done()) {
      const [field, wire] = r.tag();
      if (field === 1) r.repeated(wire, WireType.VARINT, (p) => ints.push(p.varint()));
      else r.repeated(wire, WireType.I32, (p) => floats.push(p.float()));
    }
    expect(ints).toEqual([1, 300, -1, 7]);
    expect(floats).toEqual([0.5, -2, 3]);
  });

  it('reads fixed64 doubles and works on a subarray with an odd byteOffset', () => {
    const buf = new Uint8Array(11);
    buf[2] = (1 << 3) | WireType.I64;
    new DataView(buf.buffer).setFloat64(3, Math.PI, true);
    const r = new ProtoReader(buf.subarray(2));
    expect(r.tag()).toEqual([1, WireType.I64]);
    expect(r.double()).toBe(Math.PI);
    expect(r.done()).toBe(true);
  });

  it('skips unknown fields of every wire type, groups included', () => {
    const unknown = [
      ...[0x08, 0x96, 0x01], // 1: varint
      ...[0x11, 1, 2, 3, 4, 5, 6, 7, 8], // 2: fixed64
      ...[0x1a, 0x02, 0xaa, 0xbb], // 3: bytes
      ...[0x23, 0x08, 0x01, 0x2b, 0x2c, 0x24], // 4: group holding field 1 and an empty group 5
      ...[0x35, 1, 2, 3, 4], // 6: fixed32
    ];
    const r = reader([...unknown, 0x38, 0x2a]);
    for (;;) {
      const [field, wire] = r.tag();
      if (field === 7) break;
      r.skip(wire, field);
    }
    expect(r.varint()).toBe(42);
    expect(r.done()).toBe(true);
  });
});

describe('malformed input', () => {
  const firstError = (bytes: number[]): string =>
    decodeError(() => {
      const r = reader(bytes);
      while (!r.done()) {
        const [field, wire] = r.tag();
        r.skip(wire, field);
      }
    }).message;

  it('names what went wrong and where', () => {
    expect(firstError([0x08, 0x01, 0x0a, 0x05, 0x01])).toBe('length 5 runs past end at byte 3');
    expect(firstError([0x08, 0x01, 0x0e])).toBe('bad wire type 6 at byte 3');
    expect(firstError([0x0f])).toBe('bad wire type 7 at byte 1');
    expect(firstError([0x00, 0x01])).toBe('invalid field number in tag at byte 0');
    expect(firstError([0x0d, 0x01, 0x02])).toBe('truncated fixed32 at byte 1');
    expect(firstError([0x09, 0x01])).toBe('truncated fixed64 at byte 1');
    expect(firstError([0x0b, 0x08, 0x01])).toBe('unterminated group at byte 1');
    expect(firstError([0x0b, 0x14])).toBe('mismatched group end at byte 2');
    expect(firstError([0x0c])).toBe('bad wire type 4 at byte 1');
  });

  it('bounds a sub-message by its parent and rejects invalid UTF-8', () => {
    const r = reader([0x0a, 0x02, 0x0a, 0x05, 0, 0, 0, 0, 0]);
    r.tag();
    const sub = r.sub();
    sub.tag();
    expect(decodeError(() => sub.bytes()).message).toBe('length 5 runs past end at byte 3');
    const bad = reader([0x02, 0xc3, 0x28]);
    expect(decodeError(() => bad.string()).message).toBe('invalid UTF-8 string at byte 0');
  });

  it('limits nesting depth instead of overflowing the stack', () => {
    // 150 nested length-delimited messages, built from the inside out.
    let bytes: number[] = [];
    for (let k = 0; k < 150; k++) bytes = [...bytesOf((w) => w.bytes(1, Uint8Array.from(bytes)))];
    let r = reader(bytes);
    const descend = () => {
      for (;;) {
        r.tag();
        r = r.sub();
      }
    };
    expect(decodeError(descend).message).toMatch(/^messages nested deeper than 100 at byte \d+$/);
  });
});
