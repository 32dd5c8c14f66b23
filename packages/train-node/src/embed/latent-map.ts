/**
 * The 2-D map `vae embed --plot` draws: every example's posterior mean as a point, coloured by its
 * class when the data are labelled. Two latent dimensions are drawn as they are; more are projected
 * on the first two principal components of the means (the PCA the bundle's latent map uses).
 */

import { pca2 } from '@vae/core';
import type { TopLevelSpec } from 'vega-lite';
import type { EmbedLabels } from './embed-files';
import type { PosteriorMoments } from './posterior';

/** The points of the map and what its axes are. */
export interface LatentMap {
  /** [n, 2] coordinates. */
  readonly xy: Float32Array;
  /** `z_0`, `z_1` for a 2-D (or 1-D) latent space, `PC1`, `PC2` for a projection. */
  readonly axes: readonly [string, string];
  /** Share of the means' total variance along each axis (1 and 0 for a 1-D latent space). */
  readonly explained: readonly [number, number];
}

/** Variance of column `c` of [n, 2] points. */
function columnVariance(xy: Float32Array, n: number, c: number): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = xy[i * 2 + c]!;
    s += v;
    s2 += v * v;
  }
  return n > 1 ? (s2 - (s * s) / n) / (n - 1) : 0;
}

/** The map of posterior means: the means themselves for d <= 2, else their first two principal components. */
export function latentMap(m: PosteriorMoments): LatentMap {
  const { n, latent: d, loc } = m;
  let xy: Float32Array;
  let axes: [string, string];
  if (d <= 2) {
    xy = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xy[i * 2 + j] = loc[i * d + j]!;
    axes = ['z_0', d === 2 ? 'z_1' : '(none)'];
  } else {
    xy = pca2(loc, n, d).projected;
    axes = ['PC1', 'PC2'];
  }
  let total = 0;
  for (let j = 0; j < d; j++) {
    const col = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) col[i * 2] = loc[i * d + j]!;
    total += columnVariance(col, n, 0);
  }
  const share = (c: number) => (total > 0 ? columnVariance(xy, n, c) / total : 0);
  return { xy, axes, explained: [share(0), share(1)] };
}

const axisTitle = (name: string, share: number, projected: boolean) =>
  projected ? `${name} (${(100 * share).toFixed(1)}% of the variance)` : name;

/** A vega-lite scatter plot of the map, one colour per class (in class order) when labelled. */
export function latentMapSpec(map: LatentMap, labels: EmbedLabels | null, title: string): TopLevelSpec {
  const n = map.xy.length / 2;
  const values = Array.from({ length: n }, (_, i) => ({
    x: map.xy[i * 2]!,
    y: map.xy[i * 2 + 1]!,
    ...(labels ? { class: labels.classNames[labels.labels[i]!] ?? String(labels.labels[i]) } : {}),
  }));
  const projected = map.axes[0] === 'PC1';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: 480,
    background: 'white',
    data: { values },
    // Small translucent points: thousands of them overlap.
    mark: { type: 'circle', size: 9, opacity: 0.6 },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: axisTitle(map.axes[0], map.explained[0], projected),
        scale: { zero: false },
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: axisTitle(map.axes[1], map.explained[1], projected),
        scale: { zero: false },
      },
      ...(labels
        ? {
            color: {
              field: 'class',
              type: 'nominal',
              title: 'class',
              sort: [...labels.classNames],
              scale: { scheme: labels.classNames.length > 10 ? 'category20' : 'category10' },
            },
          }
        : {}),
    },
  } as TopLevelSpec;
}
