import { describe, expect, it } from 'vitest';
import { type LatentMap, latentToMap, mapToLatent } from './latent-map';

const points = new Float32Array(0);

describe('latentToMap', () => {
  it('inverts mapToLatent on a PCA basis with unit axes', () => {
    const s = Math.SQRT1_2;
    const map: LatentMap = {
      points,
      method: 'pca',
      basis: {
        mean: [1, -1, 0.5],
        axes: [
          [s, s, 0],
          [0, 0, 1],
        ],
      },
    };
    const [x, y] = latentToMap(map, mapToLatent(map, 3, 0.7, -1.2));
    expect(x).toBeCloseTo(0.7, 6);
    expect(y).toBeCloseTo(-1.2, 6);
  });

  it('reads z0 and z1 without a basis (identity, or PCA without its basis)', () => {
    expect(latentToMap({ points, method: 'identity' }, [0.5, -2])).toEqual([0.5, -2]);
    expect(latentToMap({ points, method: 'pca' }, [0.5, -2, 3])).toEqual([0.5, -2]);
  });
});
