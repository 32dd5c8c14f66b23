/**
 * Wire-level protobuf: just enough to read and write onnx.proto messages without a dependency.
 * https://protobuf.dev/programming-guides/encoding/
 */
import { UserError } from '../errors/user-error';

/** Protobuf wire types (3 and 4 are the deprecated group markers, only ever skipped). */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

/** Malformed or unsupported protobuf/ONNX input; `offset` is the byte where decoding failed. */
export class OnnxDecodeError extends UserError {
  override name = 'OnnxDecodeError';
  constructor(
    detail: string,
    readonly offset: number,
  ) {
    super(`${detail} at byte ${offset}`);
  }
}

const TWO_32 = 2 ** 32;
// Beyond this, nested messages are more likely an attack than a model (protobuf's own default limit).
const MAX_DEPTH = 100;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** Appends protobuf fields to a growable buffer; `finish()` returns the bytes written. */
export class ProtoWriter {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Raw varint of an integer in [-2^63, 2^53); negatives become 10-byte two's complement, as int64 does. */
  rawVarint(value: number): void {
    if (!Number.isInteger(value) || value > Number.MAX_SAFE_INTEGER || value < -(2 ** 63)) {
      throw new RangeError(`varint: ${value} is not an integer in [-2^63, 2^53)`);
    }
    let hi = Math.floor(value / TWO_32);
    let lo = (value - hi * TWO_32) >>> 0;
    hi >>>= 0; // two's complement of the high word for negatives
    this.reserve(10);
    while (hi !== 0 || lo > 0x7f) {
      this.buf[this.len++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.len++] = lo;
  }

  private tag(field: number, wire: WireType): void {
    this.rawVarint(field * 8 + wire);
  }

  /** int32/int64/enum/bool field. */
  varint(field: number, value: number): void {
    this.tag(field, WireType.VARINT);
    this.rawVarint(value);
  }

  /** `float` field (fixed32, little-endian). */
  float(field: number, value: number): void {
    this.tag(field, WireType.I32);
    this.reserve(4);
    this.view.setFloat32(this.len, value, true);
    this.len += 4;
  }

  /** `bytes` field. */
  bytes(field: number, value: Uint8Array): void {
    this.tag(field, WireType.LEN);
    this.rawVarint(value.length);
    this.reserve(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
  }

  /** `string` field (UTF-8). */
  string(field: number, value: string): void {
    this.bytes(field, utf8Encoder.encode(value));
  }

  /** Sub-message field whose body `build` writes. */
  message(field: number, build: (w: ProtoWriter) => void): void {
    const sub = new ProtoWriter();
    build(sub);
    this.bytes(field, sub.finish());
  }

  /** Packed repeated int32/int64 field (one length-delimited run of varints). */
  packedVarints(field: number, values: readonly number[]): void {
    this.message(field, (w) => {
      for (const v of values) w.rawVarint(v);
    });
  }

  /** Packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): void {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let k = 0; k < values.length; k++) view.setFloat32(k * 4, values[k]!, true);
    this.bytes(field, bytes);
  }

  /** The bytes written so far (a copy that owns its buffer). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Reads protobuf fields from `buf[start, end)`; every error is an OnnxDecodeError with an absolute offset. */
export class ProtoReader {
  private readonly view: DataView;
  /** Absolute offset of the next byte to read. */
  pos: number;
  readonly end: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
    private readonly depth = 0,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = Math.min(end, buf.length);
  }

  /** True once every byte of this message has been read. */
  done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number, what: string): void {
    if (n > this.end - this.pos) throw new OnnxDecodeError(`truncated ${what}`, this.pos);
  }

  /** Raw varint as unsigned 64-bit [lo, hi] words, so callers can keep int64 values exactly. */
  varint64(): [lo: number, hi: number] {
    const at = this.pos;
    let lo = 0;
    let hi = 0;
    for (let k = 0; k < 10; k++) {
      if (this.pos >= this.end) throw new OnnxDecodeError('truncated varint', at);
      const b = this.buf[this.pos++]!;
      if (k < 4) lo |= (b & 0x7f) << (7 * k);
      else if (k === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (7 * k - 32);
      if (b < 0x80) return [lo >>> 0, hi >>> 0];
    }
    throw new OnnxDecodeError('varint longer than 10 bytes', at);
  }

  /** Varint as a signed int64 number; throws if it is outside the safe-integer range. */
  varint(): number {
    const at = this.pos;
    const [lo, hi] = this.varint64();
    const value = (hi | 0) * TWO_32 + lo;
    if (!Number.isSafeInteger(value)) throw new OnnxDecodeError('varint beyond 2^53', at);
    return value;
  }

  /** Next field's number and wire type. */
  tag(): [field: number, wire: number] {
    const at = this.pos;
    const [lo, hi] = this.varint64();
    const field = lo >>> 3;
    if (field === 0 || hi !== 0) throw new OnnxDecodeError(`invalid field number in tag`, at);
    return [field, lo & 7];
  }

  /** fixed32 as a little-endian float. */
  float(): number {
    this.need(4, 'fixed32');
    return this.view.getFloat32((this.pos += 4) - 4, true);
  }

  /** fixed64 as a little-endian double. */
  double(): number {
    this.need(8, 'fixed64');
    return this.view.getFloat64((this.pos += 8) - 8, true);
  }

  private lengthPrefix(): number {
    const at = this.pos;
    const n = this.varint();
    if (n < 0 || n > this.end - this.pos) throw new OnnxDecodeError(`length ${n} runs past end`, at);
    return n;
  }

  /** Length-delimited bytes, copied (so typed-array views over them are aligned and independent). */
  bytes(): Uint8Array {
    const n = this.lengthPrefix();
    return this.buf.slice(this.pos, (this.pos += n));
  }

  /** Length-delimited UTF-8 string. */
  string(): string {
    const at = this.pos;
    const n = this.lengthPrefix();
    try {
      return utf8Decoder.decode(this.buf.subarray(this.pos, (this.pos += n)));
    } catch {
      throw new OnnxDecodeError('invalid UTF-8 string', at);
    }
  }

  /** Reader over the next length-delimited sub-message; this reader moves past it. */
  sub(): ProtoReader {
    const at = this.pos;
    if (this.depth >= MAX_DEPTH) throw new OnnxDecodeError(`messages nested deeper than ${MAX_DEPTH}`, at);
    const n = this.lengthPrefix();
    const start = this.pos;
    this.pos += n;
    return new ProtoReader(this.buf, start, this.pos, this.depth + 1);
  }

  /** Calls `each` per element of a repeated scalar, whether packed (LEN) or one-per-tag (`wire`). */
  repeated(wire: number, elementWire: WireType, each: (r: ProtoReader) => void): void {
    if (wire === elementWire) {
      each(this);
      return;
    }
    if (wire !== WireType.LEN) throw new OnnxDecodeError(`unexpected wire type ${wire}`, this.pos);
    const packed = this.sub();
    while (!packed.done()) each(packed);
  }

  /** Skips a field's value of any wire type (groups included); `field` is needed to match a group's end. */
  skip(wire: number, field: number): void {
    const at = this.pos;
    if (wire === WireType.VARINT) this.varint64();
    else if (wire === WireType.I64) this.double();
    else if (wire === WireType.I32) this.float();
    else if (wire === WireType.LEN) {
      const n = this.lengthPrefix();
      this.pos += n;
    } else if (wire === WireType.SGROUP) {
      // Iterative so hostile nesting cannot overflow the stack.
      const open = [field];
      while (open.length > 0) {
        if (this.done()) throw new OnnxDecodeError('unterminated group', at);
        const [f, w] = this.tag();
        if (w === WireType.SGROUP) open.push(f);
        else if (w === WireType.EGROUP) {
          if (open.pop() !== f) throw new OnnxDecodeError('mismatched group end', this.pos);
        } else this.skip(w, f);
      }
    } else throw new OnnxDecodeError(`bad wire type ${wire}`, at);
  }
}
