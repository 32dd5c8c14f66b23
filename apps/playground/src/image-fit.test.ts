import { describe, expect, it } from 'vitest';
import { fitScale } from './dom';
import { coverCrop } from './image-fit';

describe('coverCrop', () => {
  it('crops the centre to the target aspect ratio, along the longer side only', () => {
    expect(coverCrop(48, 40, 32, 32)).toEqual({ x: 4, y: 0, w: 40, h: 40 });
    expect(coverCrop(40, 100, 32, 32)).toEqual({ x: 0, y: 30, w: 40, h: 40 });
    expect(coverCrop(64, 30, 23, 17)).toEqual({ x: 11, y: 0, w: 41, h: 30 });
    expect(coverCrop(64, 48, 32, 24)).toEqual({ x: 0, y: 0, w: 64, h: 48 });
  });
});

describe('fitScale', () => {
  it('is a whole number for pictures smaller than the box, a fraction for larger ones', () => {
    expect(fitScale(231, 231, 720)).toBe(3); // 8 x 8 grid of 28x28
    expect(fitScale(263, 263, 720)).toBe(2); // 8 x 8 grid of 32x32
    expect(fitScale(23, 17, 160)).toBe(6);
    expect(fitScale(1440, 960, 720)).toBe(0.5);
  });
});
