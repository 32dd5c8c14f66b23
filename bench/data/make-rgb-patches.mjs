#!/usr/bin/env node
// An RGB image dataset for `vae train --model conv` (issue 14, colour): N random square windows of
// real photos, each resized to SIZE x SIZE RGB, written as a PNG class folder with one sub-folder
// per photo (the labels). Prints what it made, per photo. Not a test.
//
//   node bench/data/make-rgb-patches.mjs --out DIR [--photos DIR] [--n 12000] [--size 32]
//        [--seed 1] [--test-fraction 0.1]
//
// The photos are scikit-image's sample photos as Debian's python3-skimage ships them (default
// --photos /usr/lib/python3/dist-packages/skimage/data; see bench/README.md for their licences).
// Windows have sides drawn log-uniformly in [SIZE, 3 SIZE] and are shrunk by exact area averaging
// (the datasets package's resampler), so a patch shows anything from raw pixels to a small scene.
//
// Held out by a seed, without leaks: `vae train --dataset DIR --test-fraction F` holds out a
// stratified share F of the files, drawn with the fixed split seed (train-node's USER_SPLIT_SEED).
// This script computes that same split first, then cuts the patches of the held-out files only
// from held-out blocks of each photo (a --seed draw of F of its textured 3 SIZE x 3 SIZE blocks) and
// every other patch only from the other blocks: no test patch shares a pixel with a training patch.
// It reloads the folder with the datasets reader and checks the split before it reports.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
// tsx resolved from here (the bench's dependency), whatever the working directory.
const TSX = ['--conditions=@vae/source', '--import', import.meta.resolve('tsx')];

// The workspace packages run from their TypeScript sources: re-run under tsx when not already.
if (!process.execArgv.includes('--conditions=@vae/source')) {
  const r = spawnSync(process.execPath, [...TSX, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}

const { values: opt } = parseArgs({
  options: {
    out: { type: 'string' },
    photos: { type: 'string', default: '/usr/lib/python3/dist-packages/skimage/data' },
    n: { type: 'string', default: '12000' },
    size: { type: 'string', default: '32' },
    seed: { type: 'string', default: '1' },
    'test-fraction': { type: 'string', default: '0.1' },
  },
});

/** The colour photos of scikit-image's data folder, with the licence its docstrings state. */
const PHOTOS = [
  { name: 'astronaut', file: 'astronaut.png', licence: 'public domain (NASA photo of Eileen Collins)' },
  { name: 'chelsea', file: 'chelsea.png', licence: 'CC0 (photographer Stefan van der Walt)' },
  { name: 'coffee', file: 'coffee.png', licence: 'CC0 (photographer Rachel Michetti)' },
  {
    name: 'hubble',
    file: 'hubble_deep_field.jpg',
    licence: 'public domain (NASA, Hubble eXtreme Deep Field)',
  },
  { name: 'retina', file: 'retina.jpg', licence: 'CC0 1.0 (Mikael Häggström, Wikimedia Commons)' },
  { name: 'rocket', file: 'rocket.jpg', licence: 'public domain (SpaceX, DSCOVR launch)' },
];
/** Blocks whose pixel standard deviation is below this (of 255) are flat (black sky, borders): unused. */
const FLAT_STD = 8;

const fail = (m) => {
  process.stderr.write(`make-rgb-patches: ${m}\n`);
  process.exit(1);
};
const out = opt.out ?? fail('--out DIR is required');
const [n, size, seed] = [opt.n, opt.size, opt.seed].map(Number);
const fraction = Number(opt['test-fraction']);
if (!(Number.isInteger(n) && n >= PHOTOS.length * 2)) fail(`--n must be an integer >= ${PHOTOS.length * 2}`);
if (!(Number.isInteger(size) && size >= 4)) fail('--size must be an integer >= 4');
if (!(Number.isSafeInteger(seed) && seed >= 0)) fail('--seed must be a non-negative integer');
if (!(fraction > 0 && fraction < 1)) fail('--test-fraction must lie in (0, 1)');
if (existsSync(out) && readdirSync(out).length > 0) fail(`${out} is not empty: choose a new --out`);

const ds = await import('@vae/datasets');
const { USER_SPLIT_SEED } = await import('@vae/train-node');
// pngjs is the datasets package's PNG codec (also its reader's), not a dependency of the bench.
const { PNG } = createRequire(path.join(root, 'packages/datasets/package.json'))('pngjs');

/** The photo as RGB bytes. */
function readPhoto(file) {
  const p = path.join(opt.photos, file);
  if (!existsSync(p))
    fail(`${p} not found: apt-get install -y python3-skimage, or pass --photos DIR (see bench/README.md)`);
  const img = ds.decodeImage(readFileSync(p), p);
  return { width: img.width, height: img.height, rgb: ds.compositeOnBlack(img.data) };
}

/** Standard deviation of all values of a block. */
function blockStd({ width, rgb }, x0, y0, side) {
  let s = 0;
  let s2 = 0;
  for (let y = y0; y < y0 + side; y++)
    for (let i = (y * width + x0) * 3; i < (y * width + x0 + side) * 3; i++) {
      s += rgb[i];
      s2 += rgb[i] * rgb[i];
    }
  const m = side * side * 3;
  return Math.sqrt(Math.max(0, s2 / m - (s / m) ** 2));
}

/** The photo's textured blocks, and a --seed draw of `fraction` of them (at least one) held out. */
function blocks(photo, block, key) {
  const all = [];
  for (let by = 0; by + block <= photo.height; by += block)
    for (let bx = 0; bx + block <= photo.width; bx += block)
      if (blockStd(photo, bx, by, block) >= FLAT_STD) all.push([bx, by]);
  if (all.length < 2) fail(`${photo.file}: fewer than 2 textured ${block}px blocks; use a smaller --size`);
  const order = ds.permutation(key, all.length);
  const k = Math.min(all.length - 1, Math.max(1, Math.round(fraction * all.length)));
  return {
    test: [...order.subarray(0, k)].map((i) => all[i]),
    train: [...order.subarray(k)].map((i) => all[i]),
  };
}

/** One patch: a window of side in [size, block] at a random place in a random block, shrunk to size. */
function cut(photo, pool, block, u) {
  const [bx, by] = pool[Math.floor(u[0] * pool.length)];
  const side = Math.round(Math.exp(Math.log(size) + u[1] * Math.log(block / size)));
  const x0 = bx + Math.floor(u[2] * (block - side + 1));
  const y0 = by + Math.floor(u[3] * (block - side + 1));
  const win = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++)
    win.set(
      photo.rgb.subarray(((y0 + y) * photo.width + x0) * 3, ((y0 + y) * photo.width + x0 + side) * 3),
      y * side * 3,
    );
  return ds.resampleImage(
    { width: side, height: side, channels: 3, data: win },
    { height: size, width: size },
  );
}

function writePatch(file, rgb) {
  const png = new PNG({ width: size, height: size, colorType: 2 });
  for (let i = 0; i < size * size; i++)
    png.data.set([rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], 255], 4 * i);
  writeFileSync(file, PNG.sync.write(png, { colorType: 2, inputColorType: 6 }));
}

const t0 = performance.now();
// The folder's examples in the order the reader lists them (class, then file name), and the
// split `vae train --test-fraction` will draw on them.
const perClass = PHOTOS.map((_, c) => Math.floor(n / PHOTOS.length) + (c < n % PHOTOS.length ? 1 : 0));
const labels = Uint8Array.from(perClass.flatMap((m, c) => Array(m).fill(c)));
const stub = ds.createDataset({
  name: 'patches',
  dtype: 'uint8',
  data: new Uint8Array(n),
  exampleShape: [1],
  labels,
});
const isTest = new Uint8Array(n);
for (const i of ds.splitTestFraction(stub, fraction, { seed: USER_SPLIT_SEED }).testIndices) isTest[i] = 1;

const block = 3 * size;
const key = ds.dataKey(seed);
const rows = [];
let first = 0;
PHOTOS.forEach((p, c) => {
  const photo = readPhoto(p.file);
  const pools = blocks({ ...photo, file: p.file }, block, ds.foldIn(key, 2 * c));
  const u = new Float64Array(perClass[c] * 4);
  ds.fillUniform(ds.foldIn(key, 2 * c + 1), 0, u);
  const dir = path.join(out, p.name);
  mkdirSync(dir, { recursive: true });
  let tests = 0;
  for (let j = 0; j < perClass[c]; j++) {
    const held = isTest[first + j] === 1;
    tests += held;
    const rgb = cut(photo, held ? pools.test : pools.train, block, u.subarray(4 * j, 4 * j + 4));
    writePatch(path.join(dir, `${String(j).padStart(5, '0')}.png`), rgb);
  }
  rows.push({
    class: p.name,
    photo: `${p.file} ${photo.width}x${photo.height}`,
    blocks: `${pools.train.length} train + ${pools.test.length} test of ${block}px`,
    patches: `${perClass[c] - tests} train + ${tests} test`,
    licence: p.licence,
  });
  first += perClass[c];
});
const seconds = (performance.now() - t0) / 1000;

// What `vae train` will read: the same order and labels, so the same split.
const folder = await ds.loadImageFolder(out);
const again = ds.splitTestFraction(folder.data, fraction, { seed: USER_SPLIT_SEED }).testIndices;
const same = again.length === isTest.reduce((a, b) => a + b, 0) && [...again].every((i) => isTest[i] === 1);
if (!same || folder.data.count !== n || folder.data.exampleShape.join() !== `${size},${size},3`)
  fail(`${out}: the folder read back does not give the planned split; do not use it`);

console.table(rows);
console.log(
  `${n} patches of ${size}x${size}x3 in ${out} (${PHOTOS.length} classes, seed ${seed}) in ${seconds.toFixed(1)} s; ` +
    `\`vae train --dataset ${out} --test-fraction ${fraction}\` holds out the ${again.length} test patches, ` +
    'cut from blocks no training patch touches.',
);
