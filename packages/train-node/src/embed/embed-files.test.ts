import { parseNpy } from '@vae/datasets';
import { describe, expect, it } from 'vitest';
import { embedColumns, embeddingCsv, embeddingNpy, f32Text } from './embed-files';

const moments = {
  n: 2,
  latent: 2,
  loc: Float32Array.from([0.1, -2.5, 3e-8, 1234567]),
  scale: Float32Array.from([0.5, 0.1169891357421875, 1, 2]),
};

describe('embedding files', () => {
  it('writes each float32 as the shortest text that reads back as it', () => {
    expect(f32Text(Math.fround(0.1169891357421875))).toBe('0.116989136');
    expect(f32Text(Math.fround(0.1))).toBe('0.1');
    expect(f32Text(-0)).toBe('0');
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const v = Math.fround(((seed / 2 ** 31) * 2 - 1) * 10 ** ((i % 13) - 6));
      const t = f32Text(v);
      expect(Math.fround(Number(t))).toBe(v);
      expect(t.replace(/^-|\.|e.*$/g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
    }
  });

  it('lays out CSV and NPY columns, with and without labels', () => {
    const labels = { labels: Uint8Array.from([1, 0]), classNames: ['a,b', 'c'] };
    expect(embeddingCsv(moments, labels)).toBe(
      'index,label,class,mean_0,mean_1,scale_0,scale_1\n0,1,c,0.1,-2.5,0.5,0.116989136\n1,0,"a,b",3e-8,1234567,1,2\n',
    );
    expect(embeddingCsv(moments, null).split('\n')[0]).toBe(embedColumns(2, false, 'csv').join(','));
    const a = parseNpy(embeddingNpy(moments, labels));
    expect([a.dtype, a.shape]).toEqual(['float32', [2, 5]]);
    expect(Array.from(a.data as Float32Array)).toEqual([
      ...[0.1, -2.5, 0.5, 0.1169891357421875, 1].map(Math.fround),
      ...[3e-8, 1234567, 1, 2, 0].map(Math.fround),
    ]);
    expect(parseNpy(embeddingNpy(moments, null)).shape).toEqual([2, 4]);
    expect(embedColumns(2, true, 'npy')).toEqual(['mean_0', 'mean_1', 'scale_0', 'scale_1', 'label']);
  });
});
