// Shared by the user-data tests: files in the formats `vae train --dataset PATH` reads. Test-only.
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

/** An `.npy` file (format 1.0): header dict padded so the data start at a multiple of 64. */
export function npyBytes(descr: string, shape: readonly number[], data: Uint8Array): Buffer {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64);
  header += '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([
    head,
    Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ]);
}

/** An 8-bit RGB PNG of w x h pixels; pixel i (row-major) has colour `rgb(i)`. */
export function writePng(
  path: string,
  w: number,
  h: number,
  rgb: (i: number) => [number, number, number],
): void {
  const png = new PNG({ width: w, height: h, colorType: 2 });
  for (let i = 0; i < w * h; i++) {
    const [r, g, b] = rgb(i);
    png.data.set([r, g, b, 255], i * 4);
  }
  writeFileSync(path, PNG.sync.write(png, { colorType: 2, inputColorType: 6 }));
}
