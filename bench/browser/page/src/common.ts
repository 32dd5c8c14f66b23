// Shared by the bench and cold-start pages: deterministic latents, statistics, drawing.

export const LATENT = 20;
export const PIXELS = 784;

/** Standard-normal latents from a seeded PRNG (mulberry32 + Box-Muller): the same z for every peer. */
export function latents(n: number, seed = 1): Float32Array {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(n * LATENT);
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const a = 2 * Math.PI * next();
    out[i] = r * Math.cos(a);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Draws n decoded 28x28 images (Bernoulli logits) side by side in rows of `cols`. */
export function drawDigits(canvas: HTMLCanvasElement, logits: Float32Array, n: number, cols = 8): void {
  const rows = Math.ceil(n / cols);
  const w = 28 * Math.min(n, cols);
  canvas.width = w;
  canvas.height = 28 * rows;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(w, 28 * rows);
  for (let k = 0; k < n; k++) {
    const ox = (k % cols) * 28;
    const oy = Math.floor(k / cols) * 28;
    for (let p = 0; p < PIXELS; p++) {
      const v = 255 / (1 + Math.exp(logits[k * PIXELS + p]!));
      const o = ((oy + Math.floor(p / 28)) * w + ox + (p % 28)) * 4;
      img.data[o] = img.data[o + 1] = img.data[o + 2] = v;
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

/** Mean over images of KL(Bern(sigmoid(a)) || Bern(sigmoid(b))) summed over pixels: nats per image. */
export function klNatsPerImage(a: Float32Array, b: Float32Array, n: number): number {
  const logSig = (x: number) => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));
  let kl = 0;
  for (let i = 0; i < a.length; i++) {
    const p = 1 / (1 + Math.exp(-a[i]!));
    kl += p * (logSig(a[i]!) - logSig(b[i]!)) + (1 - p) * (logSig(-a[i]!) - logSig(-b[i]!));
  }
  return kl / n;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Resource timing of the files that matter for a cold start (wasm, model, weights). */
export function resourceTimings(): {
  name: string;
  start: number;
  end: number;
  transfer: number;
  size: number;
}[] {
  return performance
    .getEntriesByType('resource')
    .map((e) => e as PerformanceResourceTiming)
    .filter((e) => /\.(wasm|onnx|bin|json)(\?|$)/.test(e.name))
    .map((e) => ({
      name: e.name.replace(location.origin, ''),
      start: e.startTime,
      end: e.responseEnd,
      transfer: e.transferSize,
      size: e.decodedBodySize,
    }));
}
