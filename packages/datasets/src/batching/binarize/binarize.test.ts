import { readFileSync } from 'node:fs';
import { binarizeDraws as exampleDraws } from '@vae/random';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { generate } from '../../../scripts/build-wasm.mjs';
import { dataKey, foldIn } from '../../random';
import { WasmBinarizer } from './wasm-binarizer';

/** The kernel's rule in plain JS: x = 1 when u <= 257 k and k > 0 (P = k/255 to within 2^-16). */
function reference(pixels: Uint8Array, size: number, order: number[], key = foldIn(dataKey(5), 2)) {
  const out = new Float32Array(order.length * size);
  const u = new Uint16Array(size);
  order.forEach((index, r) => {
    exampleDraws(key, index, size, u);
    for (let j = 0; j < size; j++) {
      const k = pixels[index * size + j]!;
      out[r * size + j] = k !== 0 && u[j]! <= 257 * k ? 1 : 0;
    }
  });
  return out;
}

describe('WasmBinarizer', () => {
  const wasm = WasmBinarizer.create();

  it('compiles here (Node has WebAssembly SIMD)', () => {
    expect(wasm).not.toBeNull();
  });

  // Sizes that are and are not multiples of the kernel's 8-pixel step, incl. a single pixel.
  for (const size of [784, 13, 8, 1]) {
    it(`equals the JS reference draw for draw (size ${size})`, () => {
      const n = 37;
      const pixels = Uint8Array.from({ length: n * size }, (_, i) => (i * 101 + 7) % 256);
      const order = Array.from({ length: n }, (_, i) => (i * 11) % n);
      const key = foldIn(dataKey(5), 2);
      const got = wasm!.binarize(pixels, size, order, 0, n, key);
      expect(got.length).toBe(n * size);
      expect(Array.from(got)).toEqual(Array.from(reference(pixels, size, order, key)));
    });
  }

  it('reads a window of the order and gives each example the same draws wherever it sits', () => {
    const size = 30;
    const pixels = Uint8Array.from({ length: 20 * size }, (_, i) => (i * 13) % 256);
    const order = Array.from({ length: 20 }, (_, i) => 19 - i);
    const key = foldIn(dataKey(1), 0);
    const all = wasm!.binarize(pixels, size, order, 0, 20, key).slice();
    const window = wasm!.binarize(pixels, size, order, 5, 4, key);
    expect(Array.from(window)).toEqual(Array.from(all.subarray(5 * size, 9 * size)));
  });

  it('gives each lane its own stream (draws of pixels 2l and 2l+8 differ across lanes)', () => {
    const u = new Uint16Array(64);
    exampleDraws(foldIn(dataKey(3), 0), 0, 64, u);
    // Eight draws per step from four lanes: no two of the first 64 draws should repeat in pattern.
    expect(new Set(Array.from(u)).size).toBeGreaterThan(60);
  });

  it('the generated module matches binarize.wat (run scripts/build-wasm.mjs after editing it)', async () => {
    const wat = readFileSync(new URL('./binarize.wat', import.meta.url), 'utf8');
    const current = readFileSync(new URL('./binarize-wasm.ts', import.meta.url), 'utf8');
    expect(await generate(wat)).toBe(current);
  });
});
