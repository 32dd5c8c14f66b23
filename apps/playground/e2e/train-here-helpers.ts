/** Pictures for train-here.test.ts: reading the sample grid, and making PNGs to train on. */
import type { Page } from 'playwright-core';

/** Mean grey of each 28x28 tile's 4-pixel border and of its centre 12x12 (a 4x4 grid, 1-px gaps). */
export function tileInk(rgba: readonly number[], width: number): { border: number; centre: number }[] {
  const out: { border: number; centre: number }[] = [];
  for (let t = 0; t < 16; t++) {
    const x0 = (t % 4) * 29;
    const y0 = Math.floor(t / 4) * 29;
    let b = 0;
    let nb = 0;
    let c = 0;
    let nc = 0;
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++) {
        const v = rgba[((y0 + y) * width + x0 + x) * 4]!;
        if (x < 4 || y < 4 || x >= 24 || y >= 24) {
          b += v;
          nb++;
        } else if (x >= 8 && x < 20 && y >= 8 && y < 20) {
          c += v;
          nc++;
        }
      }
    out.push({ border: b / nb, centre: c / nc });
  }
  return out;
}

/** `n` 16x16 PNGs (base64), drawn and encoded in the page: a coloured square on black. */
export function colourSquares(page: Page, n: number): Promise<string[]> {
  return page.evaluate(async (n) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = new OffscreenCanvas(16, 16);
      const g = c.getContext('2d')!;
      g.fillStyle = '#000';
      g.fillRect(0, 0, 16, 16);
      g.fillStyle = ['#e15759', '#4e79a7', '#59a14f', '#edc948'][i % 4]!;
      g.fillRect(2 + (i % 5), 2 + ((i >> 2) % 5), 8, 8);
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
      out.push(btoa(String.fromCharCode(...bytes)));
    }
    return out;
  }, n);
}
