// The memory of a bench page: its renderer process's resident set (from /proc) and what Chromium
// reports for the page (CDP Performance.getMetrics, performance.measureUserAgentSpecificMemory).
import { readdirSync, readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';

/** Chromium flags the memory figures need. */
export const MEMORY_FLAGS = [
  // performance.measureUserAgentSpecificMemory answers at once instead of at the next GC (<= 20 s).
  '--enable-blink-features=ForceEagerMeasureMemory',
];

export const MiB = 2 ** 20;

interface ProcMem {
  pid: number;
  /** Peak and current resident set size, bytes (/proc/PID/status VmHWM, VmRSS). */
  peakRss: number;
  rss: number;
}

/** Chromium renderer processes started from this process (the browser is our child). */
function renderers(): ProcMem[] {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis.
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(d), readFileSync(`/proc/${d}/cmdline`, 'utf8'));
    } catch {}
  }
  const mine = (pid: number) => {
    for (let p = pid, i = 0; p > 1 && i < 64; p = parent.get(p) ?? 0, i++) if (p === process.pid) return true;
    return false;
  };
  const out: ProcMem[] = [];
  for (const [pid, c] of cmd) {
    if (!c.includes('--type=renderer') || !mine(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
      out.push({ pid, peakRss: kb('VmHWM'), rss: kb('VmRSS') });
    } catch {}
  }
  return out;
}

export interface PageMemory {
  /** Peak RSS of the page's renderer process (the largest renderer of the browser), MiB. */
  rendererPeakMiB: number;
  rendererRssMiB: number;
  /** CDP Performance.getMetrics of the page's main thread, MiB. */
  jsHeapUsedMiB: number;
  jsHeapTotalMiB: number;
  /** performance.measureUserAgentSpecificMemory() (JS and wasm memory of the page and its workers), MiB. */
  uaMemoryMiB: number | null;
  uaBreakdownMiB: Record<string, number> | null;
}

export async function pageMemory(ctx: BrowserContext, page: Page): Promise<PageMemory> {
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (n: string) => (metrics.find((m) => m.name === n)?.value ?? Number.NaN) / MiB;
  const ua = await page.evaluate(async () => {
    const p = performance as Performance & {
      measureUserAgentSpecificMemory?: () => Promise<{
        bytes: number;
        breakdown: { bytes: number; types: string[]; attribution: { scope?: string }[] }[];
      }>;
    };
    if (!crossOriginIsolated || !p.measureUserAgentSpecificMemory) return null;
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), 10_000));
    const m = await Promise.race([p.measureUserAgentSpecificMemory(), timeout]);
    if (!m) return null;
    const breakdown: Record<string, number> = {};
    for (const b of m.breakdown) {
      if (!b.bytes) continue;
      const k = `${b.types.join('+') || 'other'} ${b.attribution.map((a) => a.scope ?? '?').join('+') || '-'}`;
      breakdown[k] = (breakdown[k] ?? 0) + b.bytes;
    }
    return { bytes: m.bytes, breakdown };
  });
  const procs = renderers();
  const top = procs.reduce((a, b) => (b.peakRss > a.peakRss ? b : a), { pid: 0, peakRss: 0, rss: 0 });
  return {
    rendererPeakMiB: top.peakRss / MiB,
    rendererRssMiB: top.rss / MiB,
    jsHeapUsedMiB: metric('JSHeapUsedSize'),
    jsHeapTotalMiB: metric('JSHeapTotalSize'),
    uaMemoryMiB: ua ? ua.bytes / MiB : null,
    uaBreakdownMiB: ua
      ? Object.fromEntries(Object.entries(ua.breakdown).map(([k, v]) => [k, v / MiB]))
      : null,
  };
}
