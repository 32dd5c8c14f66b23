/**
 * Small batches of an int8 bundle on float32 kernels. The int8 format is there for download size;
 * onnxruntime-web's integer matmuls pay a fixed cost per run (quantising activations, more kernels)
 * that one row does not amortise, so a single row decodes faster on float32 weights dequantised
 * once at load. That computes the float32 decoder with the bundle's stored (rounded) weights, the
 * activations not quantised: closer to the trained model than the integer path, which larger
 * batches keep (about twice as fast as float32 there).
 */
import type { BundleManifest } from '@vae/core/bundle';
import { createSession, type Runtime, type Session } from './runtime';

/** A second decoder session for batches of at most `maxRows` rows. */
export interface SmallBatchDecoder {
  session: Session;
  maxRows: number;
}

/** Decoder batches of at most this many rows of an int8 bundle run on float32 weights by default. */
export const DEFAULT_INT8_FLOAT32_ROWS = 1;

/**
 * The float32 decoder session of an int8 bundle for batches of at most `rows` rows, or undefined
 * (not an int8 bundle, `rows` < 1, or a decoder without the int8 export's integer matmuls).
 */
export async function smallBatchDecoder(
  rt: Runtime,
  manifest: BundleManifest,
  files: Record<string, Uint8Array>,
  rows = DEFAULT_INT8_FLOAT32_ROWS,
): Promise<SmallBatchDecoder | undefined> {
  if (manifest.dtype !== 'int8' || !(rows >= 1)) return undefined;
  const file = manifest.decoder.file;
  let bytes: Uint8Array;
  try {
    // Only int8 pages download the ONNX codec. Should it fail to load, or the file not be in the
    // export's int8 form, the int8 graph decodes every batch: correct, only slower for one row.
    const { dequantizeInt8 } = await import('@vae/core/onnx');
    bytes = dequantizeInt8(files[file]!);
  } catch {
    return undefined;
  }
  if (bytes === files[file]) return undefined;
  return { session: await createSession(rt, bytes, `${file} (float32 weights)`), maxRows: Math.floor(rows) };
}
