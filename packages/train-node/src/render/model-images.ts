/**
 * What `vae sample`, `recon` and `interp` share: the run's image geometry, decoding to the
 * likelihood mean (probabilities for Bernoulli) and encoding to the posterior mean with the model's
 * own role graphs (`decode-mean`, `encode-mean`), and the raw (grey-level) pixels of dataset
 * examples for display.
 */
import type { Backend, CompiledGraph, HostTensor } from '@vae/core';
import type { Dataset } from '@vae/datasets';
import type { LoadedRun } from '../run/run-dir';
import { UsageError } from './errors';
import type { ImageSize } from './png-grid';

/** The run's image size, or a {@link UsageError} for runs on non-image data (e.g. tabular). */
export function runImage(run: LoadedRun, command: string): ImageSize {
  const img = run.config.data.image;
  if (!img)
    throw new UsageError(
      `vae ${command} draws images, but ${run.dir} was trained on non-image data (shape [${run.config.data.shape.join(', ')}])`,
    );
  const size = run.vae.spec.dataShape.reduce((a, d) => a * d, 1);
  if (img.h * img.w * img.c !== size)
    throw new UsageError(
      `${run.dir}: image ${img.h}x${img.w}x${img.c} does not match the model's data shape [${run.vae.spec.dataShape.join(', ')}]`,
    );
  return img;
}

/** A float32 host tensor. */
export const f32Tensor = (shape: number[], data: Float32Array): HostTensor => ({
  dtype: 'float32',
  shape,
  data,
});

/** One-hot rows: row i has a 1 at `labels[i]` (width `size`). */
export function oneHot(labels: readonly number[], size: number): HostTensor {
  const data = new Float32Array(labels.length * size);
  labels.forEach((l, i) => {
    data[i * size + l] = 1;
  });
  return f32Tensor([labels.length, size], data);
}

/** Runs a compiled graph with the run's parameters plus `feeds`; returns output `name` as floats. */
export async function runFor(
  compiled: CompiledGraph,
  run: LoadedRun,
  feeds: Record<string, HostTensor>,
  name: string,
): Promise<Float32Array> {
  const out = await compiled.run({ ...run.params, ...feeds });
  return out[name]!.data as Float32Array;
}

/** Decodes latents `z` (rows x latent) to likelihood means in one backend call. */
export async function decodeMeans(
  backend: Backend,
  run: LoadedRun,
  z: Float32Array,
  c?: HostTensor,
): Promise<Float32Array> {
  const rows = z.length / run.vae.spec.latent;
  const compiled = await backend.compile('decode-mean', () => run.vae.roleGraph('decode-mean'));
  return runFor(compiled, run, { z: f32Tensor([rows, run.vae.spec.latent], z), ...(c ? { c } : {}) }, 'mean');
}

/** Posterior means of model inputs (`x`, and `c` for conditional models) in one backend call. */
export async function encodeMeans(
  backend: Backend,
  run: LoadedRun,
  inputs: Readonly<Record<string, HostTensor>>,
): Promise<Float32Array> {
  const compiled = await backend.compile('encode-mean', () => run.vae.roleGraph('encode-mean'));
  const feeds: Record<string, HostTensor> = { x: inputs.x! };
  if (run.vae.spec.condition) feeds.c = inputs.c!;
  return runFor(compiled, run, feeds, 'loc');
}

/** Dataset examples `indices` as displayable values in [0, 1] (stored values / `scale`, not binarised). */
export function rawImages(data: Dataset, indices: readonly number[], scale: number): Float32Array {
  const size = data.exampleSize;
  const src = data.data as ArrayLike<number>;
  const out = new Float32Array(indices.length * size);
  indices.forEach((idx, r) => {
    for (let j = 0; j < size; j++) out[r * size + j] = src[idx * size + j]! / scale;
  });
  return out;
}

/** The given rows of a [rows, ...] float32 host tensor, copied into a new tensor. */
export function pickRows(t: HostTensor, rows: readonly number[]): HostTensor {
  const width = t.shape.slice(1).reduce((a, d) => a * d, 1);
  const src = t.data as Float32Array;
  const data = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    data.set(src.subarray(r * width, (r + 1) * width), i * width);
  });
  return f32Tensor([rows.length, ...t.shape.slice(1)], data);
}
