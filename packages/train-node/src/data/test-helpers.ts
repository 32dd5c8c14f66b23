// Shared by the user-data tests: files in the formats `vae train --dataset PATH` reads. Test-only.
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

export { npyBytes } from '../embed/npy-write';

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
