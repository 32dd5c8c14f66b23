import { describe, expect, it } from 'vitest';
import { geometryOf } from './sample-grid';

describe('geometryOf', () => {
  it('takes the data geometry when known, else [c, h, w], else a square grey picture', () => {
    expect(geometryOf([784], { h: 28, w: 28, c: 1 })).toEqual({ h: 28, w: 28, c: 1 });
    expect(geometryOf([3, 32, 16])).toEqual({ c: 3, h: 32, w: 16 });
    expect(geometryOf([784])).toEqual({ c: 1, h: 28, w: 28 });
  });
});
