/**
 * Image bundles of other sizes for the playground's e2e tests (run with tsx from its global setup,
 * like score-fixtures.ts): an untrained 32x32 RGB MLP VAE and a 17x23 (HxW) grey one trained on
 * binarised pixels. Their decoders' output layers are smooth waves, different per channel, so
 * pictures show shapes and colour rather than noise; the latent maps are prior draws in three groups.
 * Usage: `tsx packages/core/src/testing/image-fixtures.ts OUT_DIR` writes OUT_DIR/rgb32/ and
 * OUT_DIR/grey17x23/ (each a bundle folder).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { key, normal, uniform } from '@vae/random';
import { createBundle } from '../export/create';
import type { HostTensor } from '../ir/dtype';
import { mlpVAE } from '../models/builders';

interface ImageCase {
  name: string;
  height: number;
  width: number;
  channels: number;
  latent: number;
  binarized: boolean;
  method: 'identity' | 'pca';
}

export const IMAGE_CASES: ImageCase[] = [
  { name: 'rgb32', height: 32, width: 32, channels: 3, latent: 4, binarized: false, method: 'pca' },
  { name: 'grey17x23', height: 17, width: 23, channels: 1, latent: 2, binarized: true, method: 'identity' },
];

const HIDDEN = 32;

/** Output-layer weights [hidden, c*h*w]: per hidden unit a low-frequency wave, its phase per channel. */
function waves(c: ImageCase, seed: number): Float32Array {
  const { channels: C, height: H, width: W } = c;
  const r = uniform(key(seed), HIDDEN * 3 * (C + 1));
  const out = new Float32Array(HIDDEN * C * H * W);
  for (let j = 0; j < HIDDEN; j++) {
    const fx = (r[j * 3]! - 0.5) * 0.5;
    const fy = (r[j * 3 + 1]! - 0.5) * 0.5;
    for (let ch = 0; ch < C; ch++) {
      const phase = r[HIDDEN * 3 + j * C + ch]! * 2 * Math.PI;
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++)
          out[j * C * H * W + ch * H * W + y * W + x] = 0.6 * Math.sin(fx * x + fy * y + phase);
    }
  }
  return out;
}

/** Writes each case's bundle folder under `dir`; returns the folders by case name. */
export async function writeImageFixtures(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [i, c] of IMAGE_CASES.entries()) {
    const size = c.channels * c.height * c.width;
    const vae = mlpVAE({ inputSize: size, hidden: [HIDDEN], latent: c.latent });
    const params: Record<string, HostTensor> = vae.init(key(10 + i));
    const w = params['dec.2.weight']!;
    params['dec.2.weight'] = { ...w, data: waves(c, 20 + i) };
    const n = 300;
    const points = normal(key(30 + i), 2 * n);
    const labels = Array.from({ length: n }, (_, k) => k % 3);
    // Three groups, shifted apart, so the legend and colours have something to show.
    labels.forEach((l, k) => {
      points[2 * k] = points[2 * k]! + (l - 1) * 2;
    });
    const basis =
      c.method === 'pca'
        ? {
            mean: Array.from({ length: c.latent }, () => 0),
            axes: [
              Array.from({ length: c.latent }, (_, d) => (d === 0 ? 1 : 0)),
              Array.from({ length: c.latent }, (_, d) => (d === 1 ? 1 : 0)),
            ] as [number[], number[]],
          }
        : undefined;
    const bundle = await createBundle(vae, params, {
      image: { height: c.height, width: c.width, channels: c.channels },
      binarized: c.binarized,
      labels: ['left', 'middle', 'right'],
      recipe: { fixture: c.name, trained: false },
      latentMap: { points, labels, method: c.method, ...(basis ? { basis } : {}) },
    });
    const folder = join(dir, c.name);
    mkdirSync(folder, { recursive: true });
    for (const [file, bytes] of Object.entries(bundle.files)) writeFileSync(join(folder, file), bytes);
    out[c.name] = folder;
  }
  return out;
}

const target = process.argv[2];
if (target && process.argv[1]?.endsWith('image-fixtures.ts')) await writeImageFixtures(target);
