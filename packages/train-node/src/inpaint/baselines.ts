/**
 * What `vae impute` compares its model with on images: mean-fill (the training set's per-pixel mean)
 * and k-NN (the k training images nearest on the observed pixels, their values at the missing ones
 * averaged), and the error measure, RMSE over the missing entries.
 */
import { type Backend, Graph } from '@vae/core';
import { f32Tensor as f32 } from '../render/model-images';

/** Per-entry mean of `m` rows of `d` values ([m, d] row-major), in float64 then rounded. */
export function columnMean(rows: Float32Array, m: number, d: number): Float32Array {
  const sum = new Float64Array(d);
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) sum[j]! += rows[i * d + j]!;
  return Float32Array.from(sum, (s) => s / m);
}

/** `x` with its missing entries (missing[j] = 1) taken from `fill` (per entry of one example). */
export function fillMissing(x: Float32Array, missing: ArrayLike<number>, fill: Float32Array): Float32Array {
  const d = fill.length;
  return Float32Array.from(x, (v, j) => (missing[j] ? fill[j % d]! : v));
}

/**
 * Root-mean-square error over the missing entries (every channel of a missing pixel counts), in
 * float64; NaN when nothing is missing.
 */
export function missingRmse(
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  missing: ArrayLike<number>,
): number {
  let s = 0;
  let n = 0;
  for (let j = 0; j < truth.length; j++) {
    if (!missing[j]) continue;
    const e = pred[j]! - truth[j]!;
    s += e * e;
    n++;
  }
  return Math.sqrt(s / n);
}

/** Training rows per distance run: bounds the [N, chunk] distance matrix and the transposed block. */
const CHUNK = 8192;

/**
 * k-NN fill: for each example, the `k` training rows with the smallest squared distance on its
 * observed entries, sum_j obs_j (x_j - t_j)^2 (ties: the earlier row), their values at its missing
 * entries averaged. Distances are two matrix products per chunk of training rows on `backend`
 * (-2 (obs x) . t + obs . t^2; the constant sum obs x^2 does not change the ranking); observed
 * entries are copied through.
 * @param x - [n, d] examples; missing [n, d] (1 missing); train [m, d]
 */
export async function knnFill(
  backend: Backend,
  x: Float32Array,
  missing: Float32Array,
  train: Float32Array,
  m: number,
  k = 5,
): Promise<Float32Array> {
  const d = train.length / m;
  const rows = x.length / d;
  const obs = Float32Array.from(missing, (v) => 1 - v);
  const a = Float32Array.from(x, (v, j) => v * obs[j]!);
  const g = new Graph('knn');
  const ta = g.input('a', ['N', d]);
  const to = g.input('o', ['N', d]);
  const tt = g.input('t', [d, 'M']);
  const tt2 = g.input('t2', [d, 'M']);
  const dist = to.matmul(tt2).sub(ta.matmul(tt).mul(2));
  const compiled = await backend.compile(`knn_${d}`, () => ({ graph: g, outputs: { dist } }));
  const bestD = new Float64Array(rows * k).fill(Number.POSITIVE_INFINITY);
  const bestI = new Int32Array(rows * k).fill(-1);
  for (let from = 0; from < m; from += CHUNK) {
    const cm = Math.min(CHUNK, m - from);
    const t = new Float32Array(d * cm);
    const t2 = new Float32Array(d * cm);
    for (let i = 0; i < cm; i++)
      for (let j = 0; j < d; j++) {
        const v = train[(from + i) * d + j]!;
        t[j * cm + i] = v;
        t2[j * cm + i] = v * v;
      }
    const out = await compiled.run({
      a: f32([rows, d], a),
      o: f32([rows, d], obs),
      t: f32([d, cm], t),
      t2: f32([d, cm], t2),
    });
    const dm = out.dist!.data as Float32Array;
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < cm; i++) {
        const v = dm[r * cm + i]!;
        if (!(v < bestD[r * k + k - 1]!)) continue;
        // Insert into row r's sorted list of k.
        let p = k - 1;
        while (p > 0 && v < bestD[r * k + p - 1]!) {
          bestD[r * k + p] = bestD[r * k + p - 1]!;
          bestI[r * k + p] = bestI[r * k + p - 1]!;
          p--;
        }
        bestD[r * k + p] = v;
        bestI[r * k + p] = from + i;
      }
  }
  const kk = Math.min(k, m);
  return Float32Array.from(x, (v, j) => {
    if (!missing[j]) return v;
    const r = Math.floor(j / d);
    let s = 0;
    for (let q = 0; q < kk; q++) s += train[bestI[r * k + q]! * d + (j % d)]!;
    return s / kk;
  });
}
