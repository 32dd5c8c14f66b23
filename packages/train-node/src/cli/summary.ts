/**
 * Words the commands' human summaries share (the lines `printResult` in flags.ts writes to stderr
 * beside the JSON result): counts, nats, pictures.
 */

/** `1 epoch`, `3 epochs`. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Nats per example, to 2 decimals. */
export const nats = (v: number): string => `${v.toFixed(2)} nats`;

/** A written picture: `s.png (699 x 699 px, 3 px per image pixel)`. */
export const picture = (r: {
  readonly png: string;
  readonly width: number;
  readonly height: number;
  readonly scale: number;
}): string => `${r.png} (${r.width} x ${r.height} px, ${r.scale} px per image pixel)`;
