import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from '../errors';
import { compositeOnBlack, isGrey, resampleImage, rgbToGrey } from './resample';

const grey = (width: number, height: number, values: number[]) => ({
  width,
  height,
  channels: 1,
  data: Uint8Array.from(values),
});

describe('resampleImage', () => {
  it('copies an image of the target size exactly', () => {
    const img = grey(3, 2, [1, 2, 3, 4, 5, 6]);
    expect([...resampleImage(img, { height: 2, width: 3 })]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('cover crops the centre without resampling when only the aspect ratio differs', () => {
    // 4 wide, 2 high -> 2x2: columns 1..2 kept.
    const img = grey(4, 2, [0, 1, 2, 3, 10, 11, 12, 13]);
    expect([...resampleImage(img, { height: 2, width: 2 })]).toEqual([1, 2, 11, 12]);
    // 2 wide, 4 high -> 2x2: rows 1..2 kept.
    const tall = grey(2, 4, [0, 1, 10, 11, 20, 21, 30, 31]);
    expect([...resampleImage(tall, { height: 2, width: 2 })]).toEqual([10, 11, 20, 21]);
  });

  it('shrinks by exact area averages (2x2 blocks, and a 3 -> 2 fractional case)', () => {
    const img = grey(4, 4, [0, 2, 10, 20, 4, 6, 30, 40, 100, 100, 7, 7, 100, 100, 7, 9]);
    expect([...resampleImage(img, { height: 2, width: 2 })]).toEqual([3, 25, 100, 8]);
    // 3 -> 2 along x: out0 = (a + b/2) / 1.5, out1 = (b/2 + c) / 1.5.
    const row = grey(3, 1, [0, 90, 180]);
    expect([...resampleImage(row, { height: 1, width: 2, fit: 'fill' })]).toEqual([30, 150]);
  });

  it('enlarges bilinearly with pixel-centre alignment (constant stays constant, edges clamp)', () => {
    expect([...resampleImage(grey(2, 2, [77, 77, 77, 77]), { height: 5, width: 3 })]).toEqual(
      new Array(15).fill(77),
    );
    // 2 -> 4 along x: centres at -0.25, 0.25, 0.75, 1.25 -> 0, 25%, 75%, 100% of the way from a to b.
    expect([...resampleImage(grey(2, 1, [0, 200]), { height: 1, width: 4, fit: 'fill' })]).toEqual([
      0, 50, 150, 200,
    ]);
  });

  it('fill stretches the whole image; cover keeps the centre', () => {
    const img = grey(4, 1, [0, 100, 200, 255]);
    expect([...resampleImage(img, { height: 1, width: 2, fit: 'fill' })]).toEqual([50, 228]);
    expect([...resampleImage(img, { height: 1, width: 1, fit: 'cover' })]).toEqual([100]);
  });

  it('keeps channels interleaved', () => {
    const rgb = { width: 2, height: 1, channels: 3, data: Uint8Array.from([10, 20, 30, 50, 60, 70]) };
    expect([...resampleImage(rgb, { height: 1, width: 1, fit: 'fill' })]).toEqual([30, 40, 50]);
  });

  it('refuses non-positive sizes with a typed error', () => {
    expect(() => resampleImage(grey(1, 1, [0]), { height: 0, width: 1 })).toThrow(DatasetArgumentError);
  });
});

describe('pixel conversions', () => {
  it('composites on black and drops alpha', () => {
    expect([
      ...compositeOnBlack(Uint8Array.from([200, 100, 50, 255, 200, 100, 50, 0, 255, 128, 2, 128])),
    ]).toEqual([200, 100, 50, 0, 0, 0, 128, 64, 1]);
  });

  it('BT.601 luma keeps grey pixels and weighs colours', () => {
    expect([...rgbToGrey(Uint8Array.from([9, 9, 9, 255, 0, 0, 0, 255, 0, 0, 0, 255]))]).toEqual([
      9, 76, 150, 29,
    ]);
    expect(isGrey(Uint8Array.from([1, 1, 1, 5, 5, 5]))).toBe(true);
    expect(isGrey(Uint8Array.from([1, 1, 1, 5, 5, 6]))).toBe(false);
  });
});
