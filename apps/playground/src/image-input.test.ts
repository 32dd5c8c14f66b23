import type { BundleManifest } from '@vae/infer-web';
import { describe, expect, it } from 'vitest';
import { pixelsToInput } from './image-input';

type Data = BundleManifest['data'];
const data = (over: Partial<Data> = {}): Data => ({
  shape: [6],
  kind: 'image',
  scaling: { type: 'unit', min: 0, max: 1 },
  binarized: false,
  ...over,
});
/** Two pixels (1 x 2): orange (255, 128, 0) and dark blue (0, 0, 51), alpha 255. */
const rgba = [255, 128, 0, 255, 0, 0, 51, 255];

describe('pixelsToInput', () => {
  it('lays RGB pixels out channel-major in [0, 1]', () => {
    const x = pixelsToInput(rgba, { h: 1, w: 2, c: 3 }, data());
    expect(Array.from(x)).toEqual([1, 0, 128 / 255, 0, 0, 51 / 255].map(Math.fround));
  });

  it('gives grey models BT.601 luma', () => {
    const x = pixelsToInput(rgba, { h: 1, w: 2, c: 1 }, data({ shape: [2] }));
    expect(x[0]).toBeCloseTo((0.299 * 255 + 0.587 * 128) / 255, 6);
    expect(x[1]).toBeCloseTo((0.114 * 51) / 255, 6);
  });

  it('binarises at 0.5 when the bundle was trained on binary pixels', () => {
    const x = pixelsToInput(rgba, { h: 1, w: 2, c: 3 }, data({ binarized: true }));
    expect(Array.from(x)).toEqual([1, 0, 1, 0, 0, 0]);
  });

  it('maps the raw range of unit scaling (bytes when max > 1) and standardises per feature', () => {
    const bytes = pixelsToInput(
      rgba,
      { h: 1, w: 2, c: 3 },
      data({ scaling: { type: 'unit', min: 0, max: 255 } }),
    );
    expect(bytes[2]).toBeCloseTo(128 / 255, 6);
    const shifted = pixelsToInput(
      rgba,
      { h: 1, w: 2, c: 1 },
      data({ scaling: { type: 'unit', min: -1, max: 1 } }),
    );
    expect(shifted[1]).toBeCloseTo(((0.114 * 51) / 255 + 1) / 2, 6);
    const std = pixelsToInput(
      rgba,
      { h: 1, w: 2, c: 1 },
      data({ shape: [2], scaling: { type: 'standardize', mean: [0.5, 0], std: [0.25, 2] } }),
    );
    expect(std[0]).toBeCloseTo(((0.299 * 255 + 0.587 * 128) / 255 - 0.5) / 0.25, 5);
    expect(std[1]).toBeCloseTo((0.114 * 51) / 255 / 2, 6);
  });

  it('refuses other channel counts and a wrong number of bytes', () => {
    expect(() => pixelsToInput(rgba, { h: 1, w: 2, c: 2 }, data())).toThrow(/1 \(grey\) or 3 \(RGB\)/);
    expect(() => pixelsToInput(rgba, { h: 2, w: 2, c: 3 }, data())).toThrow(/not a 2x2 picture/);
  });
});
