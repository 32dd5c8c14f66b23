/** Bringing a decoded picture to a bundle's H x W the way `vae train --size` prepares image folders. */

/** The centred crop of a width x height source with the aspect ratio of tw x th (nothing is stretched). */
export function coverCrop(
  width: number,
  height: number,
  tw: number,
  th: number,
): { x: number; y: number; w: number; h: number } {
  // width / height vs tw / th without division, as datasets' resampleImage decides.
  if (width * th > tw * height) {
    const w = Math.max(1, Math.round((height * tw) / th));
    return { x: Math.floor((width - w) / 2), y: 0, w, h: height };
  }
  const h = Math.max(1, Math.round((width * th) / tw));
  return { x: 0, y: Math.floor((height - h) / 2), w: width, h };
}

/**
 * RGBA bytes (w x h) of `src` centre-cropped to the w:h aspect ratio and resized by the browser's
 * high-quality smoothing, transparent parts composited on black (as the CLI's loader does). Close
 * to, not byte-equal with, the CLI's exact area-average resampling.
 */
export function coverResize(src: ImageBitmap, w: number, h: number): Uint8ClampedArray {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, w, h);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  const box = coverCrop(src.width, src.height, w, h);
  ctx.drawImage(src, box.x, box.y, box.w, box.h, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h).data;
}
