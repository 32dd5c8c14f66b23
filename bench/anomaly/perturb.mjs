// The background data of Ren et al. 2019's likelihood ratio: the normal class's training images
// with each pixel, independently with probability `rate`, replaced by a uniform random level
// 0..255. Written as an .npy (uint8 [n, 28, 28]) that `vae train --dataset FILE.npy` reads.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const DIR = '/usr/share/datasets/fashion-mnist';

/** An IDX file's data bytes (after its magic and dimensions). */
function idx(name) {
  const b = gunzipSync(readFileSync(`${DIR}/${name}`));
  return b.subarray(4 + 4 * b[3]);
}

/** The training examples `vae train --dataset fashion-mnist --classes c` trains on (--val 5000). */
function normalTraining(c) {
  const images = idx('train-images-idx3-ubyte.gz');
  const labels = idx('train-labels-idx1-ubyte.gz');
  const size = 784;
  const rows = [];
  for (let i = 0; i < labels.length - 5000; i++) if (labels[i] === c) rows.push(i);
  const out = new Uint8Array(rows.length * size);
  rows.forEach((r, j) => out.set(images.subarray(r * size, (r + 1) * size), j * size));
  return { data: out, count: rows.length };
}

/** A small seeded generator (mulberry32): the same background data on every run. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function npy(shape, data) {
  let dict = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  dict += ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64);
  dict += '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(dict.length, 8);
  return Buffer.concat([
    head,
    Buffer.from(dict, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ]);
}

/** Writes class c's perturbed training images to `file`; returns how many. */
export async function writePerturbed(c, rate, file, seed = 1) {
  const { data, count } = normalTraining(c);
  const rand = mulberry32(seed * 1000 + c);
  for (let i = 0; i < data.length; i++) if (rand() < rate) data[i] = Math.floor(rand() * 256);
  writeFileSync(file, npy([count, 28, 28], data));
  return count;
}
