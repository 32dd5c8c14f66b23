/** Pictures for the image-size tests: PNGs drawn in the page, canvas sizes, colour, image drops. */
import type { Page } from 'playwright-core';

/** Quadrant colours of {@link quadrantsPng}: top-left, top-right, bottom-left, bottom-right. */
export const QUADRANTS = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
] as const;

/** A w x h PNG with four coloured quadrants (drawn and encoded by the page's canvas). */
export async function quadrantsPng(page: Page, w: number, h: number): Promise<Buffer> {
  const url = await page.evaluate(
    ({ w, h, colours }) => {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const ctx = c.getContext('2d')!;
      colours.forEach(([r, g, b], i) => {
        ctx.fillStyle = `rgb(${r},${g},${b})`;
        ctx.fillRect((i % 2) * (w / 2), Math.floor(i / 2) * (h / 2), w / 2, h / 2);
      });
      return c.toDataURL('image/png');
    },
    { w, h, colours: QUADRANTS as unknown as number[][] },
  );
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
}

/** Backing-store size of a canvas and its on-screen (CSS) size. */
export function canvasSize(page: Page, selector: string) {
  return page.evaluate((s) => {
    const c = document.querySelector<HTMLCanvasElement>(s)!;
    const r = c.getBoundingClientRect();
    return { width: c.width, height: c.height, cssWidth: r.width, cssHeight: r.height };
  }, selector);
}

/** Share of RGBA pixels whose R, G and B differ by more than 8 (0 for a grey picture). */
export function colourFraction(rgba: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    const [r, g, b] = [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 8) n++;
  }
  return n / (rgba.length / 4);
}

/** Drops files (name -> bytes, with a MIME type) on the element `target`, as a user's drag does. */
export function dropFiles(
  page: Page,
  target: string,
  files: { name: string; type: string; bytes: Buffer }[],
): Promise<void> {
  const sent = files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') }));
  return page.evaluate(
    ({ target, sent }) => {
      const dt = new DataTransfer();
      for (const f of sent)
        dt.items.add(
          new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }),
        );
      const el = document.querySelector(target)!;
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { target, sent },
  );
}

/** Decodes PNG bytes in the page: its size and RGBA pixels (as canvasPixels reads a canvas). */
export function pngPixels(
  page: Page,
  png: Buffer,
): Promise<{ width: number; height: number; rgba: number[] }> {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = document.createElement('canvas');
    c.width = bitmap.width;
    c.height = bitmap.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const rgba = Array.from(ctx.getImageData(0, 0, c.width, c.height).data);
    return { width: c.width, height: c.height, rgba };
  }, png.toString('base64'));
}
