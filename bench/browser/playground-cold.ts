// Playground cold start: navigation -> the first decoded picture on the playground's own page (not a
// bench page). Builds apps/playground, serves it with a real exported bundle at /bundle/ through its
// own server (scripts/serve.mjs, as `pnpm start` does), and loads it in fresh Chromium profiles (cold
// HTTP and code cache), then once more in the same profile (warm). Prints medians and writes
// bench/browser/playground-cold.json.
//   pnpm --filter @vae/bench bench:playground-cold [--reps=5] [--threads=1,2] [--skip-build]
//
// "First picture" is the page's PerformanceMark `vae:first-picture` (apps/playground/src/first-picture):
// set right after the prior-samples grid, the model's decoded 8x8 grid, is put on its canvas, by
// whichever path drew it (`detail.path`: `interpreter` or `ort`). `vae:model-in-use` marks the
// onnxruntime-web model taking over (every view live). Each rep also loads the page with
// `?first-picture=ort` (the interpreter path off: onnxruntime-web draws first), for comparison
// under the same machine load. Interleaved: the order of the rows flips every rep.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { withBrowser } from '../lib/chromium';
import { buildPlayground, ensureBundle, servePlayground } from './playground-cold-setup';
import { median } from './report';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const reps = Number(arg('reps') ?? 5);
const threadCounts = (arg('threads') ?? '1,2').split(',').map(Number);

/** One page load: marks in ms since navigation start. */
interface Load {
  firstPicture: number;
  path: string;
  modelInUse: number;
  /** The entry module runs; the bundle is read and checked (interpreter path only, else -1). */
  entry: number;
  bundleRead: number;
  domContentLoaded: number;
  longestTask: number;
  /** Bytes that came over the network (0 when served from the HTTP cache). */
  transferred: number;
  threads: number;
  crossOriginIsolated: boolean;
  /** Main-thread tasks over 50 ms: [start, duration]. */
  longTasks: [number, number][];
  /** Every `vae:` mark of the page (ms since navigation start). */
  marks: Record<string, number>;
  /** The page, its scripts, the wasm and the bundle files: [path, start, end, bytes transferred]. */
  resources: [string, number, number, number][];
}

async function load(ctx: BrowserContext, url: string, threads: number): Promise<Load> {
  const page = await ctx.newPage();
  // The page runs onnxruntime-web with min(4, hardwareConcurrency) threads when cross-origin isolated.
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: threads });
  page.on('pageerror', (e) => console.error(`  [page error] ${e.message}`));
  // The longest main-thread task during start-up.
  await page.addInitScript(`window.__longest = 0; window.__tasks = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) {
        window.__longest = Math.max(window.__longest, e.duration);
        window.__tasks.push([Math.round(e.startTime), Math.round(e.duration)]);
      }
    }).observe({ type: 'longtask', buffered: true });`);
  await page.goto(url);
  const mark = (name: string) => `performance.getEntriesByName('${name}').length > 0`;
  await page.waitForFunction(mark('vae:first-picture'), undefined, { timeout: 60_000 });
  await page.waitForFunction(mark('vae:model-in-use'), undefined, { timeout: 60_000 });
  // A string, not a function: tsx's keepNames would wrap named helpers in a __name the page lacks.
  const out = (await page.evaluate(`(() => {
    const fp = performance.getEntriesByName('vae:first-picture')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      firstPicture: fp.startTime,
      path: String(fp.detail?.path),
      modelInUse: performance.getEntriesByName('vae:model-in-use')[0].startTime,
      entry: performance.getEntriesByName('vae:entry')[0]?.startTime ?? -1,
      bundleRead: performance.getEntriesByName('vae:bundle-read')[0]?.startTime ?? -1,
      domContentLoaded: nav.domContentLoadedEventEnd,
      longestTask: window.__longest,
      longTasks: window.__tasks,
      transferred: performance.getEntriesByType('resource').reduce((s, r) => s + r.transferSize, nav.transferSize),
      threads: window.__vae?.state().threads ?? 0,
      crossOriginIsolated,
      marks: Object.fromEntries(performance.getEntriesByType('mark')
        .filter((m) => m.name.startsWith('vae:')).map((m) => [m.name, Math.round(m.startTime)])),
      resources: performance.getEntriesByType('resource')
        .filter((r) => r.name.includes('/bundle/') || r.name.endsWith('.wasm') || r.name.endsWith('.js'))
        .map((r) => [new URL(r.name).pathname, Math.round(r.startTime), Math.round(r.responseEnd), r.transferSize]),
    };
  })()`)) as Load;
  await page.close();
  return out;
}

/** The page as served, and with the interpreter path switched off (onnxruntime-web draws first). */
const VARIANTS = [
  { label: 'interpreter first (as served)', query: '' },
  { label: 'onnxruntime-web only', query: '?first-picture=ort' },
];

interface Row {
  label: string;
  query: string;
  threads: number;
  cold: Load[];
  warm: Load[];
  load: number[];
}

async function main() {
  const bundle = ensureBundle();
  if (!process.argv.includes('--skip-build')) buildPlayground();
  const server = await servePlayground(bundle);
  const rows: Row[] = VARIANTS.flatMap((v) =>
    threadCounts.map((threads) => ({ ...v, threads, cold: [], warm: [], load: [] })),
  );
  try {
    for (let r = 0; r < reps; r++)
      for (const row of r % 2 ? [...rows].reverse() : rows) {
        row.load.push(loadavg()[0]!);
        console.error(
          `cold ${r + 1}/${reps}: ${row.label}, ${row.threads} thread(s), load ${row.load.at(-1)!.toFixed(1)}`,
        );
        const url = `${server.base}/${row.query}`;
        await withBrowser({ profilePrefix: 'vae-playground-cold-' }, async (ctx) => {
          row.cold.push(await load(ctx, url, row.threads));
          row.warm.push(await load(ctx, url, row.threads));
        });
      }
  } finally {
    server.stop();
  }
  const ms = (xs: number[]) => (median(xs) < 0 ? '–' : `${median(xs).toFixed(0)} ms`);
  const pick = (ls: Load[], k: 'firstPicture' | 'modelInUse' | 'longestTask' | 'entry' | 'bundleRead') =>
    ls.map((l) => l[k]);
  console.log('Playground cold start (median over fresh profiles; warm = 2nd load, same profile)');
  console.log(
    '| page | threads | first picture, cold | by | entry module runs | bundle read | ORT model in use | longest task | first picture, warm | load avg |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const paths = [...new Set(row.cold.map((l) => l.path))].join('/');
    console.log(
      `| ${row.label} | ${row.threads} | ${ms(pick(row.cold, 'firstPicture'))} | ${paths} | ${ms(pick(row.cold, 'entry'))} | ` +
        `${ms(pick(row.cold, 'bundleRead'))} | ${ms(pick(row.cold, 'modelInUse'))} | ` +
        `${ms(pick(row.cold, 'longestTask'))} | ${ms(pick(row.warm, 'firstPicture'))} | ${median(row.load).toFixed(1)} |`,
    );
  }
  const file = join(here, 'playground-cold.json');
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), reps, rows }, null, 1)}\n`);
  console.error(`wrote ${file}`);
}

await main();
