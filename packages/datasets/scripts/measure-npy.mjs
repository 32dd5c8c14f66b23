// Measures loading a 60,000 x 28 x 28 uint8 .npy (and .npz) from the built package (run
// `pnpm run build` first). Writes the files with numpy (Debian python3-numpy) from Fashion-MNIST
// when missing. Usage: /usr/bin/time -v node scripts/measure-npy.mjs <npy|npz|idx|baseline> [dir]
// Peak memory is the "Maximum resident set size" that /usr/bin/time -v prints.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadIdxPath, loadNpy, loadNpz } from '../dist/index.js';

const [which = 'npy', dir = '/tmp/vae-npy-measure'] = process.argv.slice(2);
const src = '/usr/share/datasets/fashion-mnist';
if (!existsSync(join(dir, 'x.npy'))) {
  const py = `import gzip, numpy as np, os, sys
d = sys.argv[1]; os.makedirs(d, exist_ok=True)
x = np.frombuffer(gzip.open('${src}/train-images-idx3-ubyte.gz').read()[16:], np.uint8).reshape(60000, 28, 28)
y = np.frombuffer(gzip.open('${src}/train-labels-idx1-ubyte.gz').read()[8:], np.uint8)
np.save(d + '/x.npy', x); np.save(d + '/y.npy', y.astype(np.int64)); np.savez_compressed(d + '/xy.npz', x=x, y=y)`;
  execFileSync('/usr/bin/python3', ['-c', py, dir]);
}
const start = performance.now();
let d;
if (which === 'npy') d = (await loadNpy(join(dir, 'x.npy'), { labels: join(dir, 'y.npy') })).train;
else if (which === 'npz') d = (await loadNpz(join(dir, 'xy.npz'))).train;
else if (which === 'idx') d = (await loadIdxPath(join(src, 'train-images-idx3-ubyte.gz'))).train;
const ms = performance.now() - start;
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(
  `${which} ${d ? `${d.count} x [${d.exampleShape}] ${d.dtype}` : '(import only)'}: ${ms.toFixed(0)} ms, rss now ${rss.toFixed(0)} MiB`,
);
