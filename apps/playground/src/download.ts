/** Taking results away: a canvas as a PNG of its own pixels, or a value as JSON, saved as a download. */
import { h } from './dom';

/** Saves a blob under `name` (an object URL on a temporary link, released after the click). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a canvas's backing store as a PNG: the model's pixels one for one, not the on-screen zoom. */
export function saveCanvas(canvas: HTMLCanvasElement, name: string): Promise<void> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => {
      if (!blob) return reject(new Error(`${name}: the canvas could not be encoded as PNG`));
      saveBlob(blob, name);
      resolve();
    }, 'image/png'),
  );
}

/** Saves a value as pretty-printed JSON. */
export function saveJson(value: unknown, name: string): void {
  saveBlob(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' }), name);
}

/** A download button; `save` runs on click (its errors go to `fail`). */
export function downloadButton(
  id: string,
  text: string,
  save: () => Promise<void> | void,
  fail: (e: unknown) => void,
): HTMLButtonElement {
  const b = h('button', { id, type: 'button', class: 'download' }, text);
  b.addEventListener('click', async () => {
    try {
      await save();
    } catch (e) {
      fail(e);
    }
  });
  return b;
}
