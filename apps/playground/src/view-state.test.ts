import { describe, expect, it } from 'vitest';
import { float32Text, readViewState, writeViewState } from './view-state';

describe('view state in the address', () => {
  it('writes the fewest digits that read back as the same float32', () => {
    expect(float32Text(0.5)).toBe('0.5');
    expect(float32Text(Math.fround(0.1))).toBe('0.1');
    expect(float32Text(-1.25)).toBe('-1.25');
    for (const v of [Math.fround(Math.PI), Math.fround(-Math.E), Math.fround(1e-7), 123456.789]) {
      const f = Math.fround(v);
      expect(Math.fround(Number(float32Text(f)))).toBe(f);
    }
  });

  it('round-trips seed, temperature, z and label, keeping ?bundle', () => {
    const z = Float32Array.from([0.1234567, -2.5, 0, 3.3333333]);
    const search = writeViewState('?bundle=./other/', { seed: 7, temperature: 0.65, z, label: 3 });
    expect(search.startsWith('?bundle=./other/&seed=7&t=0.65&z=')).toBe(true);
    const back = readViewState(search);
    expect(back).toEqual({ seed: 7, temperature: 0.65, z, label: 3 });
    expect(new URLSearchParams(search).get('bundle')).toBe('./other/');
  });

  it('ignores malformed or out-of-range values', () => {
    expect(readViewState('?seed=-1&t=9&z=1,,2&label=x')).toEqual({});
    expect(readViewState('?seed=1.5&t=abc&z=1,foo')).toEqual({});
    expect(readViewState('?t=0')).toEqual({ temperature: 0 });
    expect(readViewState('')).toEqual({});
  });

  it('removes z and label when they are not given', () => {
    expect(writeViewState('?z=1,2&label=2&bundle=b', { seed: 1, temperature: 1 })).toBe(
      '?bundle=b&seed=1&t=1',
    );
  });

  it('keeps a bundle URL readable and intact', () => {
    const search = writeViewState('?bundle=http%3A%2F%2Fhost%3A8080%2Fruns%2Fa%20b%2F', { seed: 2 });
    expect(search).toBe('?bundle=http://host:8080/runs/a+b/&seed=2');
    expect(new URLSearchParams(search).get('bundle')).toBe('http://host:8080/runs/a b/');
  });
});
