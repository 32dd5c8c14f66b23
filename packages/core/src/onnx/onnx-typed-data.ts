/**
 * onnx.proto's typed tensor data (float_data, int32_data, int64_data, double_data, uint64_data) as
 * the little-endian raw bytes a TensorProto's raw_data would hold.
 */
import { OnnxDecodeError } from './protobuf';

/** A tensor's typed-data fields as read (onnx.proto keeps each type's values in its own field). */
export interface TypedData {
  floats: number[];
  int32s: number[];
  /** int64_data / uint64_data as [lo, hi] unsigned 32-bit word pairs, so int64 values stay exact. */
  words: number[];
  doubles: number[];
}

/** Packs the typed-data field that onnx.proto assigns to `dataType` as little-endian raw bytes. */
export function typedToRaw(dataType: number, data: TypedData, at: number): Uint8Array {
  const pack = (values: number[], size: number, set: (v: DataView, o: number, x: number) => void) => {
    const out = new Uint8Array(values.length * size);
    const view = new DataView(out.buffer);
    for (let k = 0; k < values.length; k++) set(view, k * size, values[k]!);
    return out;
  };
  switch (dataType) {
    case 1: // FLOAT
    case 14: // COMPLEX64
      return pack(data.floats, 4, (v, o, x) => v.setFloat32(o, x, true));
    case 11: // DOUBLE
    case 15: // COMPLEX128
      return pack(data.doubles, 8, (v, o, x) => v.setFloat64(o, x, true));
    case 6: // INT32
      return pack(data.int32s, 4, (v, o, x) => v.setInt32(o, x, true));
    case 4: // UINT16
    case 5: // INT16
    case 10: // FLOAT16 (bits)
    case 16: // BFLOAT16 (bits)
      return pack(data.int32s, 2, (v, o, x) => v.setUint16(o, x & 0xffff, true));
    case 2: // UINT8
    case 3: // INT8
    case 9: // BOOL
    case 17: // FLOAT8 variants (bits)
    case 18:
    case 19:
    case 20:
      return pack(data.int32s, 1, (v, o, x) => v.setUint8(o, x & 0xff));
    case 12: // UINT32
      return pack(
        data.words.filter((_, k) => k % 2 === 0), // low words only
        4,
        (v, o, x) => v.setUint32(o, x, true),
      );
    case 7: // INT64
    case 13: // UINT64
      // Little-endian 64-bit = low word then high word.
      return pack(data.words, 4, (v, o, x) => v.setUint32(o, x, true));
    default:
      if (Object.values(data).every((a) => a.length === 0)) return new Uint8Array(0);
      throw new OnnxDecodeError(`tensor data type ${dataType} is not supported`, at);
  }
}
