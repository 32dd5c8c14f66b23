// Measures loading a folder of PNGs: the Fashion-MNIST test set (10k 28x28 grey images) written as
// DIR/<label>/<index>.png, then loaded with loadImageFolder from the built package (run
// `pnpm run build` first). Two steps, so the load runs in a fresh process:
//   node scripts/measure-image-folder.mjs write DIR      # writes the 10k PNGs (pngjs)
//   /usr/bin/time -v node scripts/measure-image-folder.mjs load DIR
// Peak memory is the "Maximum resident set size" that /usr/bin/time -v prints; `baseline` loads
// nothing (Node plus the package alone).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { DEBIAN_FASHION_MNIST_DIR, loadImageFolder, readIdxFile } from '../dist/index.js';

const [mode = 'baseline', dir] = process.argv.slice(2);
if (mode === 'write') {
  const images = await readIdxFile(join(DEBIAN_FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz'), {
    dtype: 'uint8',
  });
  const labels = await readIdxFile(join(DEBIAN_FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz'), {
    dtype: 'uint8',
  });
  const [n, h, w] = images.shape;
  for (let c = 0; c < 10; c++) await mkdir(join(dir, String(c)), { recursive: true });
  for (let i = 0; i < n; i++) {
    const png = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
    png.data = Buffer.from(images.data.subarray(i * h * w, (i + 1) * h * w));
    const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
    await writeFile(join(dir, String(labels.data[i]), `${String(i).padStart(5, '0')}.png`), bytes);
  }
  console.log(`wrote ${n} PNGs to ${dir}`);
} else {
  const start = performance.now();
  let summary = 'baseline (import only)';
  if (mode === 'load') {
    const { data, classNames } = await loadImageFolder(dir);
    summary = `${data.name}: ${data.count} x [${data.exampleShape}] ${data.dtype}, ${classNames?.length} classes`;
  }
  const ms = performance.now() - start;
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(`${summary}: ${ms.toFixed(0)} ms, rss now ${rss.toFixed(0)} MiB`);
}
