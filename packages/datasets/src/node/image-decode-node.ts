/**
 * Decodes one PNG or JPEG file's bytes to RGBA with well-kept pure-JS decoders (`pngjs`,
 * `jpeg-js`). The format is recognised by its signature, not by the file name; sizes are checked
 * from the header before anything is allocated, and every decoder failure becomes an
 * {@link ImageFormatError} naming the file.
 */
import { decode as decodeJpegBytes } from 'jpeg-js';
import { PNG } from 'pngjs';
import { ImageFormatError } from '../errors';

/** A decoded image: `height * width * 4` RGBA bytes. */
export interface DecodedImage {
  /** `png` or `jpeg` (from the signature). */
  readonly format: 'png' | 'jpeg';
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** RGBA, rows top to bottom, 8 bits per value (16-bit PNGs are scaled down by the decoder). */
  readonly data: Uint8Array;
}

/** Default largest image accepted, in pixels (width x height): 100 megapixels. */
export const IMAGE_DEFAULT_MAX_PIXELS = 100_000_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
}

/** What a file that is not PNG or JPEG seems to be, for the error message. */
function describeOther(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'the file is empty';
  const ascii = (n: number) => String.fromCharCode(...bytes.subarray(0, n));
  if (ascii(3) === 'GIF') return 'it is a GIF, which is not supported';
  if (ascii(4) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP')
    return 'it is a WebP image, which is not supported';
  if (ascii(2) === 'BM') return 'it is a BMP image, which is not supported';
  if (ascii(4) === 'II*\0' || ascii(4) === 'MM\0*') return 'it is a TIFF image, which is not supported';
  const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return `it starts with bytes ${head}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Decodes a PNG or JPEG.
 *
 * @param bytes - the file's content
 * @param source - the file name, for error messages
 * @param maxPixels - largest width x height accepted (default {@link IMAGE_DEFAULT_MAX_PIXELS})
 * @returns the RGBA pixels
 * @throws ImageFormatError: `not-an-image` (no PNG or JPEG signature, naming what it looks like),
 *   `corrupt` (the decoder failed), `too-large` (over `maxPixels`), `unsupported`
 */
export function decodeImage(
  bytes: Uint8Array,
  source: string,
  maxPixels = IMAGE_DEFAULT_MAX_PIXELS,
): DecodedImage {
  if (startsWith(bytes, PNG_SIGNATURE)) return decodePng(bytes, source, maxPixels);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return decodeJpeg(bytes, source, maxPixels);
  throw new ImageFormatError(source, 'not-an-image', `not a PNG or JPEG image: ${describeOther(bytes)}`);
}

function checkSize(source: string, width: number, height: number, maxPixels: number): void {
  if (width <= 0 || height <= 0) {
    throw new ImageFormatError(source, 'corrupt', `corrupt image: header says ${width}x${height} pixels`);
  }
  if (width * height > maxPixels) {
    throw new ImageFormatError(
      source,
      'too-large',
      `image of ${width}x${height} pixels is over the limit of ${maxPixels} pixels (the maxPixels option)`,
    );
  }
}

function decodePng(bytes: Uint8Array, source: string, maxPixels: number): DecodedImage {
  // IHDR comes first: length (4), "IHDR" (4), width (4), height (4), all big-endian.
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
    throw new ImageFormatError(source, 'corrupt', 'corrupt PNG: no IHDR header after the signature');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkSize(source, view.getUint32(16), view.getUint32(20), maxPixels);
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    const text = message(error);
    // pngjs reports a file that ends early as read requests left waiting on a finished stream.
    const what = /waiting|waitng|finished stream|unexpected end/i.test(text)
      ? 'the file ends early (truncated)'
      : text;
    throw new ImageFormatError(source, 'corrupt', `corrupt PNG (${what})`, { cause: error });
  }
  const data = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
  if (data.length !== png.width * png.height * 4) {
    throw new ImageFormatError(
      source,
      'corrupt',
      `corrupt PNG: ${data.length} bytes decoded for ${png.width}x${png.height}`,
    );
  }
  return { format: 'png', width: png.width, height: png.height, data };
}

function decodeJpeg(bytes: Uint8Array, source: string, maxPixels: number): DecodedImage {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = decodeJpegBytes(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      // Refuse a half-decoded picture rather than fill the missing blocks with grey.
      tolerantDecoding: false,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: Math.max(512, Math.ceil((maxPixels * 12) / 2 ** 20)),
    });
  } catch (error) {
    const text = message(error);
    if (/maxResolutionInMP/.test(text)) {
      throw new ImageFormatError(
        source,
        'too-large',
        `JPEG over the limit of ${maxPixels} pixels (the maxPixels option)`,
        {
          cause: error,
        },
      );
    }
    const problem = /unsupported|not supported|unknown/i.test(text) ? 'unsupported' : 'corrupt';
    const what = problem === 'unsupported' ? 'unsupported JPEG' : 'corrupt JPEG';
    throw new ImageFormatError(source, problem, `${what} (${text})`, { cause: error });
  }
  checkSize(source, image.width, image.height, maxPixels);
  if (image.data.length !== image.width * image.height * 4) {
    throw new ImageFormatError(
      source,
      'corrupt',
      `corrupt JPEG: ${image.data.length} bytes decoded for ${image.width}x${image.height}`,
    );
  }
  return { format: 'jpeg', width: image.width, height: image.height, data: image.data };
}
