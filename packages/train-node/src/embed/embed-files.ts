/**
 * The files `vae embed --out` writes: one row per example, the posterior means then the posterior
 * standard deviations of every latent dimension, and the class when the data are labelled.
 * - CSV: `index,label,class,mean_0..mean_{d-1},scale_0..scale_{d-1}` (`label`/`class` only when
 *   labelled; `index` is the example's position in its split);
 * - NPY: float32 [n, 2d] (means, scales), or [n, 2d + 1] with the integer label last.
 */
import { csvCell } from '../data/tabular-impute';
import { npyBytes } from './npy-write';
import type { PosteriorMoments } from './posterior';

/** Class labels of the embedded examples, when the data have them. */
export interface EmbedLabels {
  readonly labels: Uint8Array;
  readonly classNames: readonly string[];
}

/** The output formats, by file extension. */
export type EmbedFormat = 'csv' | 'npy';

/** The column names of an embedding file (the NPY's columns have the same order, without index and class). */
export function embedColumns(latent: number, labelled: boolean, format: EmbedFormat): string[] {
  const dims = (p: string) => Array.from({ length: latent }, (_, j) => `${p}_${j}`);
  if (format === 'npy') return [...dims('mean'), ...dims('scale'), ...(labelled ? ['label'] : [])];
  return ['index', ...(labelled ? ['label', 'class'] : []), ...dims('mean'), ...dims('scale')];
}

/** float32 as text: the shortest decimal (at most 9 digits, always enough) that reads back as the same float32. */
export function f32Text(v: number): string {
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(Number(v.toPrecision(9)));
}

/** The CSV text of an embedding. */
export function embeddingCsv(m: PosteriorMoments, labels: EmbedLabels | null): string {
  const lines = [embedColumns(m.latent, labels !== null, 'csv').join(',')];
  const d = m.latent;
  for (let i = 0; i < m.n; i++) {
    const cells: string[] = [String(i)];
    if (labels) {
      const l = labels.labels[i]!;
      cells.push(String(l), csvCell(labels.classNames[l] ?? String(l)));
    }
    for (let j = 0; j < d; j++) cells.push(f32Text(m.loc[i * d + j]!));
    for (let j = 0; j < d; j++) cells.push(f32Text(m.scale[i * d + j]!));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The NPY bytes of an embedding: float32 [n, 2d (+1)]. */
export function embeddingNpy(m: PosteriorMoments, labels: EmbedLabels | null): Buffer {
  const d = m.latent;
  const width = 2 * d + (labels ? 1 : 0);
  const out = new Float32Array(m.n * width);
  for (let i = 0; i < m.n; i++) {
    out.set(m.loc.subarray(i * d, (i + 1) * d), i * width);
    out.set(m.scale.subarray(i * d, (i + 1) * d), i * width + d);
    if (labels) out[i * width + 2 * d] = labels.labels[i]!;
  }
  return npyBytes('<f4', [m.n, width], out);
}
