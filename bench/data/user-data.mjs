#!/usr/bin/env node
// Evidence for `vae train --dataset PATH` (issue 14, data in): the Fashion-MNIST training set written
// as a PNG class folder and as an .npy (+ labels .npy), then the same 784-400-20 MLP VAE (1 epoch,
// seed 1, Adam 1e-3, batch 128) trained from the folder, from the .npy, from the IDX path and from
// `--dataset fashion-mnist`. Prints per source: load time and peak RSS of the loader alone, then
// training wall time, peak RSS and test ELBO (`vae eval --iw 0`). Not a test.
//
//   node bench/data/user-data.mjs [--dir DIR] [--epochs 1] [--threads 2]
//
// The folder and the .npy hold the same pixels and labels in the same order, so they are split the
// same way (10% test per class, drawn with a fixed key) and must give the same test ELBO. The IDX path
// (train- file with its t10k- sibling) must give exactly `--dataset fashion-mnist`'s. Folder/.npy
// are tested on 10% of the training images, the others on the 10k test set: those two pairs differ.
// Needs Debian's dataset-fashion-mnist and /usr/bin/time (apt-get install -y time).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const FASHION = '/usr/share/datasets/fashion-mnist';
const VAE = path.join(root, 'packages/train-node/bin/vae.mjs');
const TSX = ['--conditions=@vae/source', '--import', 'tsx'];

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string' },
    epochs: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
  },
});

// Child mode: load one source and print {seconds, count} (run under /usr/bin/time for its RSS).
if (positionals[0] === 'load') {
  const { fashionMnist, loadIdxPath, loadImageFolder, loadNpy } = await import('@vae/datasets');
  const [, kind, file, labels] = positionals;
  const t0 = performance.now();
  const r =
    kind === 'folder'
      ? { train: (await loadImageFolder(file)).data }
      : kind === 'npy'
        ? await loadNpy(file, { labels })
        : kind === 'idx'
          ? await loadIdxPath(file)
          : await fashionMnist();
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, count: r.train.count + (r.test?.count ?? 0) })}\n`);
  process.exit(0);
}

// Child mode: write the training set as DIR/<i>-<class>/<index>.png (in class, then index order) and
// the same pixels and labels, in that order, as .npy files.
if (positionals[0] === 'write') {
  const { fashionMnist, FASHION_MNIST_CLASS_NAMES } = await import('@vae/datasets');
  // pngjs is train-node's dependency (its PNG writer), not the bench's.
  const { PNG } = createRequire(path.join(root, 'packages/train-node/package.json'))('pngjs');
  const [, folder, npy, labelsNpy] = positionals;
  const { train } = await fashionMnist();
  const names = FASHION_MNIST_CLASS_NAMES.map((n, i) => `${i}-${n.replace(/[^A-Za-z0-9]+/g, '-')}`);
  for (const n of names) mkdirSync(path.join(folder, n), { recursive: true });
  const byClass = names.map(() => []);
  for (let i = 0; i < train.count; i++) byClass[train.labels[i]].push(i);
  const pixels = new Uint8Array(train.count * 784);
  const ys = new Uint8Array(train.count);
  const png = new PNG({ width: 28, height: 28, colorType: 0 });
  let k = 0;
  for (let c = 0; c < 10; c++)
    for (const i of byClass[c]) {
      const x = train.data.subarray(i * 784, (i + 1) * 784);
      for (let p = 0; p < 784; p++) png.data.set([x[p], x[p], x[p], 255], p * 4);
      const file = path.join(folder, names[c], `${String(i).padStart(5, '0')}.png`);
      writeFileSync(file, PNG.sync.write(png, { colorType: 0, inputColorType: 6 }));
      pixels.set(x, k * 784);
      ys[k++] = c;
    }
  writeFileSync(npy, npyBytes('|u1', [ys.length, 28, 28], pixels));
  writeFileSync(labelsNpy, npyBytes('|u1', [ys.length], ys));
  process.stdout.write(`${ys.length}\n`);
  process.exit(0);
}

/** Runs argv under /usr/bin/time -v: { stdout, peakMB, wall }. */
function timed(argv, cwd = root) {
  const tf = path.join(os.tmpdir(), `vae-time-${process.pid}`);
  const r = spawnSync('/usr/bin/time', ['-v', '-o', tf, ...argv], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const t = readFileSync(tf, 'utf8');
  rmSync(tf);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(t)[1]) / 1024;
  const [m, s] = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:\d+:)?(\d+):([\d.]+)/.exec(t).slice(1);
  return { stdout: r.stdout, peakMB: Math.round(rss), wall: Number(m) * 60 + Number(s) };
}

function npyBytes(descr, shape, data) {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  header += ' '.repeat((64 - ((11 + header.length) % 64)) % 64);
  header += '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([
    head,
    Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ]);
}

const dir = opt.dir ?? mkdtempSync(path.join(os.tmpdir(), 'vae-user-data-'));
const folder = path.join(dir, 'fashion-png');
const npy = path.join(dir, 'fashion.npy');
const labelsNpy = path.join(dir, 'fashion-labels.npy');
const idx = path.join(FASHION, 'train-images-idx3-ubyte.gz');

if (!existsSync(path.join(folder, '.done'))) {
  const t0 = performance.now();
  const w = spawnSync(
    process.execPath,
    [...TSX, path.join(here, 'user-data.mjs'), 'write', folder, npy, labelsNpy],
    {
      cwd: here,
      encoding: 'utf8',
    },
  );
  if (w.status !== 0) throw new Error(`writing the PNG folder failed:\n${w.stderr}`);
  writeFileSync(path.join(folder, '.done'), '');
  console.log(
    `wrote ${w.stdout.trim()} PNGs + .npy in ${((performance.now() - t0) / 1000).toFixed(1)} s to ${dir}`,
  );
}

const sources = [
  { name: 'PNG folder', kind: 'folder', dataset: [folder], load: [folder] },
  { name: '.npy + labels', kind: 'npy', dataset: [npy, '--labels', labelsNpy], load: [npy, labelsNpy] },
  { name: 'IDX path', kind: 'idx', dataset: [idx], load: [idx] },
  { name: '--dataset fashion-mnist', kind: 'named', dataset: ['fashion-mnist'], load: ['-'] },
];
const recipe = ['--hidden', '400', '--latent', '20', '--epochs', opt.epochs, '--seed', '1', '--batch', '128'];
const rows = [];
for (const s of sources) {
  const load = timed(
    [process.execPath, ...TSX, path.join(here, 'user-data.mjs'), 'load', s.kind, ...s.load],
    here,
  );
  const loaded = JSON.parse(load.stdout.trim().split('\n').at(-1));
  const run = path.join(dir, `run-${s.kind}`);
  rmSync(run, { recursive: true, force: true });
  const t = timed([
    process.execPath,
    VAE,
    'train',
    '--dataset',
    ...s.dataset,
    ...recipe,
    '--out',
    run,
    '--threads',
    opt.threads,
    '--quiet',
  ]);
  const trained = JSON.parse(t.stdout.trim().split('\n').at(-1));
  const ev = spawnSync(process.execPath, [VAE, 'eval', '--run', run, '--iw', '0', '--threads', opt.threads], {
    encoding: 'utf8',
  });
  if (ev.status !== 0) throw new Error(ev.stderr);
  const e = JSON.parse(ev.stdout.trim().split('\n').at(-1));
  rows.push({
    source: s.name,
    examples: loaded.count,
    load_s: Number(loaded.seconds.toFixed(3)),
    load_peak_rss_mb: load.peakMB,
    train_wall_s: t.wall,
    train_peak_rss_mb: t.peakMB,
    samples_per_s: trained.samples_per_s,
    test_n: e.n,
    test_elbo: e.elbo,
  });
  console.log(JSON.stringify(rows.at(-1)));
}
console.table(rows);
const [png, np, ix, named] = rows;
console.log(
  `folder vs .npy test ELBO: ${png.test_elbo} vs ${np.test_elbo} (diff ${Math.abs(png.test_elbo - np.test_elbo)})`,
);
console.log(
  `IDX path vs fashion-mnist: ${ix.test_elbo} vs ${named.test_elbo} (diff ${Math.abs(ix.test_elbo - named.test_elbo)})`,
);
if (!opt.dir) rmSync(dir, { recursive: true, force: true });
