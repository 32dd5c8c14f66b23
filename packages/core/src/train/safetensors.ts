import { UserError } from '../errors/user-error';
import type { HostTensor } from '../ir/dtype';

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets}, __metadata__: {string: string}}`, then the raw
 * little-endian bytes of every tensor. Readable by `safetensors` in Python, Rust and JS.
 */

/** A file that is not valid safetensors, or a tensor it cannot hold. */
export class SafetensorsError extends UserError {
  override name = 'SafetensorsError';
}

const CODES = { float32: 'F32', int64: 'I64', int32: 'I32', uint8: 'U8', bool: 'BOOL' } as const;
type Supported = keyof typeof CODES;
const BYTES: Record<Supported, number> = { float32: 4, int64: 8, int32: 4, uint8: 1, bool: 1 };
const DTYPES = Object.fromEntries(Object.entries(CODES).map(([k, v]) => [v, k])) as Record<string, Supported>;

function bytesOf(name: string, t: HostTensor): Uint8Array {
  if (!(t.dtype in CODES)) throw new SafetensorsError(`${name}: dtype ${t.dtype} is not supported`);
  const d = t.data as ArrayBufferView;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Serialises named tensors (in key order) and string metadata. */
export function encodeSafetensors(
  tensors: Readonly<Record<string, HostTensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const b = bytesOf(name, t);
    const want = t.shape.reduce((a, s) => a * s, 1) * BYTES[t.dtype as Supported];
    if (b.byteLength !== want)
      throw new SafetensorsError(`${name}: ${b.byteLength} bytes for shape [${t.shape.join(', ')}]`);
    header[name] = {
      dtype: CODES[t.dtype as Supported],
      shape: [...t.shape],
      data_offsets: [offset, offset + b.byteLength],
    };
    parts.push(b);
    offset += b.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8); // data starts 8-byte aligned
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Parses safetensors bytes, checking every offset; tensors are copies (aligned for typed arrays). */
export function decodeSafetensors(bytes: Uint8Array): {
  tensors: Record<string, HostTensor>;
  metadata: Record<string, string>;
} {
  if (bytes.length < 8) throw new SafetensorsError(`file is ${bytes.length} bytes, too short for a header`);
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > bytes.length - 8) throw new SafetensorsError(`header length ${n} runs past the end of the file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new SafetensorsError(`header is not JSON: ${(e as Error).message}`);
  }
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const tensors: Record<string, HostTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    const dtype = DTYPES[e.dtype ?? ''];
    if (!dtype) throw new SafetensorsError(`${name}: unsupported dtype ${e.dtype}`);
    const [a, b] = e.data_offsets ?? [-1, -1];
    const count = (e.shape ?? []).reduce((p, s) => p * s, 1);
    if (!(a >= 0 && b <= dataLength && b - a === count * BYTES[dtype]))
      throw new SafetensorsError(`${name}: data_offsets [${a}, ${b}] do not fit shape and file`);
    // A real copy (Node's Buffer#slice is a view), aligned at 0 for the typed array.
    const copy = new Uint8Array(bytes.subarray(dataStart + a, dataStart + b)).buffer;
    const data =
      dtype === 'float32'
        ? new Float32Array(copy)
        : dtype === 'int64'
          ? new BigInt64Array(copy)
          : dtype === 'int32'
            ? new Int32Array(copy)
            : new Uint8Array(copy);
    tensors[name] = { dtype, shape: [...(e.shape ?? [])], data } as HostTensor;
  }
  return { tensors, metadata };
}
