// Shared by the cold-start pages: decode one latent, draw it, and publish the marks (ms since navigation).
import { drawDigits, latents, resourceTimings } from './common';
import type { Decoder } from './ours';

export interface ColdResult {
  page: string;
  threads: number;
  crossOriginIsolated: boolean;
  /** performance.now() marks, ms since navigation start. */
  marks: Record<string, number>;
  resources: ReturnType<typeof resourceTimings>;
}

declare global {
  interface Window {
    __cold?: ColdResult;
    __coldError?: string;
    /** Decodes 64-sample grids for `ms` (what a user exploring the page would do), then idles `idleMs`. */
    __coldUse?: (ms: number, idleMs: number) => Promise<number>;
  }
}

export const coldParams = new URLSearchParams(location.search);
export const coldThreads = Number(coldParams.get('threads') ?? '1');
export const marks: Record<string, number> = { entry: performance.now() };

// Main-thread blocking during start-up (ORT instantiates its wasm and creates sessions on the main thread).
let longest = 0;
new PerformanceObserver((l) => {
  for (const e of l.getEntries()) longest = Math.max(longest, e.duration);
}).observe({ type: 'longtask', buffered: true });

/** Decodes and draws one picture with `decoder`, then runs `after` (if any; it may hand over the decoder used afterwards) before publishing. */
export async function firstPicture(
  page: string,
  decoder: Promise<Decoder>,
  after?: () => Promise<Decoder | undefined>,
): Promise<void> {
  try {
    const d = await decoder;
    marks.ready = performance.now();
    const y = await d.decode(latents(1, 3), 1);
    marks.decoded = performance.now();
    drawDigits(document.querySelector('canvas')!, y, 1);
    marks.firstPicture = performance.now();
    const next = (await after?.()) ?? d;
    await new Promise((r) => setTimeout(r, 0));
    marks.longestTask = longest;
    window.__cold = { page, threads: coldThreads, crossOriginIsolated, marks, resources: resourceTimings() };
    window.__coldUse = async (ms, idleMs) => {
      const grid = latents(64, 5);
      let n = 0;
      for (const end = performance.now() + ms; performance.now() < end; n++) await next.decode(grid, 64);
      await new Promise((r) => setTimeout(r, idleMs));
      return n;
    };
  } catch (e) {
    window.__coldError = String(e);
  }
}
