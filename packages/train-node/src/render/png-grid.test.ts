import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors';
import { autoScale, gridColumns, pngGrid } from './png-grid';

const pixel = (png: PNG, x: number, y: number) => {
  const o = (y * png.width + x) * 4;
  return [...png.data.subarray(o, o + 4)];
};

describe('pngGrid', () => {
  it('lays grey images out in rows with 1 px gutters', () => {
    // 3 images of 2x3 (h x w); image i has value (i + 1) / 4 everywhere except pixel (y=1, x=2) = 1.
    const h = 2;
    const w = 3;
    const images = new Float32Array(3 * h * w);
    for (let i = 0; i < 3; i++) {
      images.fill((i + 1) / 4, i * h * w, (i + 1) * h * w);
      images[i * h * w + 1 * w + 2] = 1;
    }
    const grid = pngGrid(images, 3, { h, w, c: 1, cols: 2, background: 0 });
    expect(grid).toMatchObject({ rows: 2, cols: 2, width: 1 + 2 * (w + 1), height: 1 + 2 * (h + 1) });
    const png = PNG.sync.read(Buffer.from(grid.png));
    expect([png.width, png.height]).toEqual([grid.width, grid.height]);
    expect(pixel(png, 0, 0)).toEqual([0, 0, 0, 255]); // gutter
    expect(pixel(png, 1, 1)).toEqual([64, 64, 64, 255]); // image 0 top-left
    expect(pixel(png, 1 + 2, 1 + 1)).toEqual([255, 255, 255, 255]); // image 0 (y=1, x=2)
    expect(pixel(png, 1 + w + 1, 1)).toEqual([128, 128, 128, 255]); // image 1 top-left
    expect(pixel(png, 1 + w, 1)).toEqual([0, 0, 0, 255]); // gutter between columns
    expect(pixel(png, 1, 1 + h + 1)).toEqual([191, 191, 191, 255]); // image 2, second row
    expect(pixel(png, 1 + w + 1, 1 + h + 1)).toEqual([0, 0, 0, 255]); // empty cell
  });

  it('writes channel-major RGB, clamps out-of-range values and shows NaN as black', () => {
    // one 1x2 image, chw: R plane [1, 0.5], G plane [0, 2], B plane [-1, NaN]
    const images = Float32Array.from([1, 0.5, 0, 2, -1, Number.NaN]);
    const grid = pngGrid(images, 1, { h: 1, w: 2, c: 3, gutter: 2 });
    const png = PNG.sync.read(Buffer.from(grid.png));
    expect([png.width, png.height]).toEqual([2 + 2 + 2, 2 + 1 + 2]);
    expect(pixel(png, 2, 2)).toEqual([255, 0, 0, 255]);
    expect(pixel(png, 3, 2)).toEqual([128, 255, 0, 255]);
    expect(pixel(png, 0, 0)).toEqual([128, 128, 128, 255]); // default background 0.5
  });

  it('reads hwc layout when asked', () => {
    const images = Float32Array.from([1, 0, 0, 0, 0, 1]); // 1x2 pixels, rgb rgb
    const png = PNG.sync.read(Buffer.from(pngGrid(images, 1, { h: 1, w: 2, c: 3, layout: 'hwc' }).png));
    expect(pixel(png, 1, 1)).toEqual([255, 0, 0, 255]);
    expect(pixel(png, 2, 1)).toEqual([0, 0, 255, 255]);
  });

  it('names what is wrong with the sizes', () => {
    expect(() => pngGrid(new Float32Array(5), 1, { h: 2, w: 2, c: 1 })).toThrow(
      /5 values for 1 images of 2x2x1/,
    );
    expect(() => pngGrid(new Float32Array(8), 1, { h: 2, w: 2, c: 2 })).toThrow(UsageError);
    expect(() => pngGrid(new Float32Array(4), 1, { h: 2, w: 2, c: 1, cols: 0 })).toThrow(/cols must be/);
  });

  it('enlarges by nearest neighbour: each pixel a scale x scale block, gutters too', () => {
    const images = Float32Array.from([0, 1, 1, 0]); // one 2x2 image: a diagonal
    const one = PNG.sync.read(Buffer.from(pngGrid(images, 1, { h: 2, w: 2, c: 1, background: 0.5 }).png));
    const grid = pngGrid(images, 1, { h: 2, w: 2, c: 1, background: 0.5, scale: 3 });
    expect(grid).toMatchObject({ width: 12, height: 12, scale: 3 });
    const big = PNG.sync.read(Buffer.from(grid.png));
    for (let y = 0; y < 12; y++)
      for (let x = 0; x < 12; x++)
        expect(pixel(big, x, y)).toEqual(pixel(one, Math.floor(x / 3), Math.floor(y / 3)));
    expect(() => pngGrid(images, 1, { h: 2, w: 2, c: 1, scale: 0 })).toThrow(
      /--scale must be an integer from 1 to 16/,
    );
  });

  it("'auto' enlarges until the longer side is at least 512 px, at most 8x", () => {
    expect([autoScale(233, 233), autoScale(349, 30), autoScale(512, 10), autoScale(29, 29)]).toEqual([
      3, 2, 1, 8,
    ]);
    const auto = pngGrid(new Float32Array(64 * 784), 64, { h: 28, w: 28, c: 1, scale: 'auto' });
    expect(auto).toMatchObject({ rows: 8, cols: 8, scale: 3, width: 699, height: 699 });
  });
});

describe('gridColumns', () => {
  it('fits n without empty cells where a near-square grid allows', () => {
    const fit = (n: number, tall = 1) => {
      const c = gridColumns(n, tall);
      return [c, Math.ceil(n / c)];
    };
    expect([fit(64), fit(16), fit(10), fit(12), fit(6), fit(7), fit(1), fit(2)]).toEqual([
      [8, 8],
      [4, 4],
      [5, 2],
      [4, 3],
      [3, 2],
      [7, 1],
      [1, 1],
      [2, 1],
    ]);
    expect(fit(13)).toEqual([7, 2]); // a prime: one empty cell rather than a 13-wide strip
    expect(fit(16, 2)).toEqual([8, 2]); // recon: 2 pairs of rows, 8 wide (was 10 wide, 4 grey cells)
    expect(fit(10, 2)).toEqual([5, 2]);
  });
});
