/** Dropping a bundle's files on the page, optionally broken, the way a user's drag-and-drop does. */
import type { Page } from 'playwright-core';

export type Breakage = 'none' | 'json' | 'version' | 'hash';

/**
 * Fetches the served bundle's files in the page, breaks one as asked, and drops them on the element
 * `target` (default the page body).
 */
export function dropBundle(page: Page, breakage: Breakage, target = 'body'): Promise<void> {
  return page.evaluate(
    async ({ breakage, target }) => {
      // Every file the manifest lists (encoder, decoder, the probability graphs, the latent map).
      const listed = (await (await fetch('./bundle/manifest.json')).json()) as { files: object };
      const names = ['manifest.json', ...Object.keys(listed.files)];
      const dt = new DataTransfer();
      for (const name of names) {
        let bytes = new Uint8Array(await (await fetch(`./bundle/${name}`)).arrayBuffer());
        if (name === 'manifest.json' && breakage === 'json') bytes = bytes.slice(0, bytes.length >> 1);
        if (name === 'manifest.json' && breakage === 'version') {
          const json = JSON.parse(new TextDecoder().decode(bytes));
          json.formatVersion = 99;
          bytes = new TextEncoder().encode(JSON.stringify(json));
        }
        if (name === 'decoder.onnx' && breakage === 'hash') bytes[bytes.length >> 1]! ^= 0xff;
        dt.items.add(new File([bytes], name));
      }
      const el = document.querySelector(target)!;
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { breakage, target },
  );
}

/** Waits for the error panel to show; returns its reason code and text. */
export async function shownError(page: Page): Promise<{ reason: string; text: string }> {
  await page.waitForFunction(() => {
    const el = document.querySelector<HTMLElement>('#error');
    return el && !el.hidden && el.dataset.reason;
  });
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('#error')!;
    return { reason: el.dataset.reason!, text: el.textContent ?? '' };
  });
}
