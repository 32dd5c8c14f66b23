/**
 * Synthetic 2-D datasets for fast tests and for looking at learned latents: a mixture of Gaussians
 * on a circle, two moons, and interleaved spirals. Each is a pure function of its options and key;
 * labels give the component / moon / arm. Pure.
 */
import { createDataset, type Dataset } from '../dataset';
import { DatasetArgumentError } from '../errors';
import { fillNormal, fillUniform, foldIn, type KeyLike, permutation, toDataKey } from '../random';

/** Options shared by the synthetic generators. */
export interface SyntheticOptions {
  /** Number of points. */
  readonly count: number;
  /** The key: the same key gives the same points. */
  readonly key: KeyLike;
}

function checkCount(name: string, count: number): void {
  if (!Number.isInteger(count) || count <= 0) {
    throw new DatasetArgumentError(name, `count must be a positive integer, got ${count}`);
  }
}

/**
 * Assigns `count` points to `k` groups as evenly as possible, in a random order.
 *
 * @returns a label per point
 */
function balancedLabels(key: KeyLike, count: number, k: number): Uint8Array {
  const order = permutation(key, count);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[order[i]!] = i % k;
  return labels;
}

function build(
  name: string,
  points: Float32Array,
  labels: Uint8Array,
  k: number,
  prefix: string,
): Dataset<'float32'> {
  return createDataset({
    name,
    dtype: 'float32',
    data: points,
    exampleShape: [2],
    labels,
    classNames: Array.from({ length: k }, (_, i) => `${prefix} ${i}`),
  });
}

/**
 * `components` isotropic Gaussians with means evenly spaced on a circle.
 *
 * @param options - count, key, `components` (default 8, at most 256), `radius` (default 2),
 *   `std` (default 0.1)
 * @returns points `[count, 2]`, labelled by component
 */
export function gaussianMixture(
  options: SyntheticOptions & {
    readonly components?: number;
    readonly radius?: number;
    readonly std?: number;
  },
): Dataset<'float32'> {
  const { count, components = 8, radius = 2, std = 0.1 } = options;
  checkCount('gaussian-mixture', count);
  if (!Number.isInteger(components) || components < 1 || components > 256) {
    throw new DatasetArgumentError(
      'gaussian-mixture',
      `components must be an integer in [1, 256], got ${components}`,
    );
  }
  const key = toDataKey(options.key);
  const labels = balancedLabels(foldIn(key, 0), count, components);
  const noise = new Float64Array(2 * count);
  fillNormal(foldIn(key, 1), 0, noise);
  const points = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const angle = (2 * Math.PI * labels[i]!) / components;
    points[2 * i] = radius * Math.cos(angle) + std * noise[2 * i]!;
    points[2 * i + 1] = radius * Math.sin(angle) + std * noise[2 * i + 1]!;
  }
  return build('gaussian-mixture', points, labels, components, 'component');
}

/**
 * Two interleaving half circles (as scikit-learn's `make_moons`), with Gaussian noise.
 *
 * @param options - count, key, `noise` standard deviation (default 0.05)
 * @returns points `[count, 2]`, labelled 0 (upper moon) and 1 (lower moon)
 */
export function twoMoons(options: SyntheticOptions & { readonly noise?: number }): Dataset<'float32'> {
  const { count, noise = 0.05 } = options;
  checkCount('two-moons', count);
  const key = toDataKey(options.key);
  const labels = balancedLabels(foldIn(key, 0), count, 2);
  const t = new Float64Array(count);
  fillUniform(foldIn(key, 1), 0, t);
  const eps = new Float64Array(2 * count);
  fillNormal(foldIn(key, 2), 0, eps);
  const points = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const a = Math.PI * t[i]!;
    const upper = labels[i] === 0;
    points[2 * i] = (upper ? Math.cos(a) : 1 - Math.cos(a)) + noise * eps[2 * i]!;
    points[2 * i + 1] = (upper ? Math.sin(a) : 0.5 - Math.sin(a)) + noise * eps[2 * i + 1]!;
  }
  return build('two-moons', points, labels, 2, 'moon');
}

/**
 * `arms` interleaved Archimedean spirals, each turning `turns` times, with Gaussian noise.
 *
 * @param options - count, key, `arms` (default 2, at most 256), `turns` (default 1.5), `noise` (default 0.05)
 * @returns points `[count, 2]` within radius ~1, labelled by arm
 */
export function spirals(
  options: SyntheticOptions & { readonly arms?: number; readonly turns?: number; readonly noise?: number },
): Dataset<'float32'> {
  const { count, arms = 2, turns = 1.5, noise = 0.05 } = options;
  checkCount('spirals', count);
  if (!Number.isInteger(arms) || arms < 1 || arms > 256) {
    throw new DatasetArgumentError('spirals', `arms must be an integer in [1, 256], got ${arms}`);
  }
  const key = toDataKey(options.key);
  const labels = balancedLabels(foldIn(key, 0), count, arms);
  const t = new Float64Array(count);
  fillUniform(foldIn(key, 1), 0, t);
  const eps = new Float64Array(2 * count);
  fillNormal(foldIn(key, 2), 0, eps);
  const points = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const r = Math.sqrt(t[i]!); // uniform density along the area swept
    const angle = 2 * Math.PI * turns * r + (2 * Math.PI * labels[i]!) / arms;
    points[2 * i] = r * Math.cos(angle) + noise * eps[2 * i]!;
    points[2 * i + 1] = r * Math.sin(angle) + noise * eps[2 * i + 1]!;
  }
  return build('spirals', points, labels, arms, 'arm');
}
