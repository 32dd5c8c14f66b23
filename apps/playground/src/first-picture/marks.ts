/**
 * PerformanceMarks of the page's start-up (bench/browser/playground-cold.ts reads them): the first
 * decoded picture on a canvas, and the onnxruntime-web model taking over every view.
 */

/** Which path painted the first picture. */
export type FirstPicturePath = 'interpreter' | 'ort';

/** Marks `vae:first-picture` once: the prior-samples grid of the model has just been put on its canvas. */
export function markFirstPicture(path: FirstPicturePath): void {
  if (performance.getEntriesByName('vae:first-picture').length === 0)
    performance.mark('vae:first-picture', { detail: { path } });
}

/** Marks `vae:model-in-use` once: the first model is loaded on onnxruntime-web and the views are live. */
export function markModelInUse(): void {
  if (performance.getEntriesByName('vae:model-in-use').length === 0) performance.mark('vae:model-in-use');
}

/** Whether the first picture has been painted (by either path). */
export const firstPicturePainted = (): boolean =>
  performance.getEntriesByName('vae:first-picture').length > 0;
