// Browser inference benchmark: onnxruntime-web ("ours") vs TensorFlow.js wasm (the peer) in headless
// Chromium, interleaved in one page. Builds the page, serves it with `vite preview`, drives Chromium
// with playwright-core, prints tables (medians, ratios ours/tfjs) and writes results.json.
//   pnpm --filter @vae/bench bench:browser [--quick] [--skip-build]
import { existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { buildPage, newPage, startPreview, withBrowser } from '../lib/chromium';
import { makeDecoder, modelsDir } from './make-decoder';
import type { InitInfo, PeerSpec, RunConfig } from './page/src/bench';
import { type ColdRow, coldTable, decodeTables, INFER_WEB, INFER_WEB_INT8, INT8, writeJson } from './report';

const here = dirname(fileURLToPath(import.meta.url));
const config = join(here, 'page', 'vite.config.ts');
const quick = process.argv.includes('--quick');

const HEADLINE: PeerSpec[] = [
  { name: 'tfjs', kind: 'tfjs' },
  { name: 'ours', kind: 'ours' },
  { name: INT8, kind: 'ours', model: 'decoder-int8.onnx' },
  { name: INFER_WEB, kind: 'infer-web' },
  { name: INFER_WEB_INT8, kind: 'infer-web', model: 'bundle-int8/' },
];
/** Every lever is a peer in one page, timed interleaved with the baseline "ours". */
const LEVERS: PeerSpec[] = [
  { name: 'ours', kind: 'ours' },
  { name: 'ours opt=extended', kind: 'ours', opts: { level: 'extended' } },
  { name: 'ours opt=basic', kind: 'ours', opts: { level: 'basic' } },
  { name: 'ours opt=disabled', kind: 'ours', opts: { level: 'disabled' } },
  {
    name: 'ours Gemm post-pass, opt=disabled',
    kind: 'ours',
    model: 'decoder-gemm.onnx',
    opts: { level: 'disabled' },
  },
  { name: 'ours fp16 weights (storage)', kind: 'ours', model: 'decoder-fp16w.onnx' },
  { name: 'ours fp16 compute graph', kind: 'ours', model: 'decoder-fp16.onnx' },
  { name: INT8, kind: 'ours', model: 'decoder-int8.onnx' },
  { name: 'ours int8 bundle (core export: u8 x u8)', kind: 'ours', model: 'bundle-int8/decoder.onnx' },
  { name: 'ours in runs of 64 rows', kind: 'ours', opts: { chunk: 64 } },
  { name: 'ours last layer transposed', kind: 'ours', model: 'decoder-transposed.onnx' },
  { name: 'ours fresh input copy per call', kind: 'ours-naive' },
  { name: 'ours allow_spinning=0', kind: 'ours', opts: { spin: false } },
  { name: 'ours disable_prepacking=1', kind: 'ours', opts: { prepack: false } },
  { name: '@vae/core interpreter (JS, no ORT)', kind: 'interp' },
];
// --ns=1,2,4,... times other batch sizes (the targets are at 1, 64 and 256).
const nsArg = process.argv.find((a) => a.startsWith('--ns='));
const NS = nsArg ? nsArg.slice(5).split(',').map(Number) : [1, 64, 256];
const RUN: Omit<RunConfig, 'peers'> = {
  ns: NS,
  rounds: quick ? 3 : 12,
  reps: Object.fromEntries(NS.map((n) => [n, n <= 4 ? 40 : n <= 64 ? 15 : 6])),
  gapMs: 25,
};

/** Headless Chromium on a fresh profile. */
const withChromium = <T>(fn: (ctx: BrowserContext) => Promise<T>): Promise<T> =>
  withBrowser({ profilePrefix: 'vae-bench-chromium-' }, fn);

export interface BenchSession {
  threads: number;
  proxy: boolean;
  /** 1-minute load average of this (shared) machine when the page started. */
  load: number;
  info: InitInfo;
  times: Record<string, Record<number, number[]>>;
}

async function benchSession(
  base: string,
  threads: number,
  peers: PeerSpec[],
  proxy = false,
): Promise<BenchSession> {
  return withChromium(async (ctx) => {
    const page = await newPage(ctx);
    await page.goto(`${base}/index.html?threads=${threads}${proxy ? '&proxy=1' : ''}`);
    await page.waitForFunction(() => window.__bench !== undefined, undefined, { timeout: 60_000 });
    const load = loadavg()[0]!;
    const info = await page.evaluate((p) => window.__bench!.init(p), peers);
    const times = await page.evaluate((cfg) => window.__bench!.run(cfg), { ...RUN, peers });
    return { threads, proxy, load, info, times };
  });
}

async function coldLoad(page: Page, url: string) {
  await page.goto(url);
  await page.waitForFunction(
    () => window.__cold !== undefined || window.__coldError !== undefined,
    undefined,
    {
      timeout: 60_000,
    },
  );
  const err = await page.evaluate(() => window.__coldError);
  if (err) throw new Error(`${url}: ${err}`);
  return (await page.evaluate(() => window.__cold))!;
}

async function main() {
  const models = ['bundle/manifest.json', 'bundle-int8/manifest.json', 'decoder-transposed.onnx'];
  if (!models.every((f) => existsSync(join(modelsDir, f)))) await makeDecoder();
  if (!process.argv.includes('--skip-build')) buildPage(config);
  const server = await startPreview(config);
  const { base } = server;
  try {
    const phases = (
      process.argv.find((a) => a.startsWith('--only='))?.slice(7) ?? 'headline,levers,proxy,cold'
    ).split(',');
    const series = async (label: string, peers: PeerSpec[], order: number[], proxy = false) => {
      const out: BenchSession[] = [];
      if (!phases.includes(label)) return out;
      for (const t of order) {
        console.error(
          `${label}: page with ${t} thread(s)${proxy ? ', proxy' : ''} (load ${loadavg()[0]!.toFixed(1)})`,
        );
        out.push(await benchSession(base, t, peers, proxy));
      }
      return out;
    };
    // 1. Decode latency: ours vs tfjs alone in a page, threads 1 and 2 alternating across fresh browsers.
    const headline = await series('headline', HEADLINE, quick ? [1, 2] : [1, 2, 2, 1, 1, 2]);
    const levers = await series('levers', LEVERS, quick ? [1, 2] : [1, 2, 2, 1]);
    const proxied = await series('proxy', HEADLINE.slice(0, 2), quick ? [2] : [2, 1, 1, 2], true);

    // 2. Cold start to first picture: fresh profile (cold HTTP + code cache), then a second load.
    const coldVariants = [
      { page: 'cold-ours.html', threads: 1, label: 'ours tuned (preload + eager create)' },
      { page: 'cold-ours.html', threads: 2, label: 'ours tuned (preload + eager create)' },
      { page: 'cold-plain.html', threads: 1, label: 'ours plain (import on load)' },
      { page: 'cold-plain.html', threads: 2, label: 'ours plain (import on load)' },
      { page: 'cold-ours.html?model=decoder-fp16w.onnx', threads: 1, label: 'ours tuned, fp16-weight model' },
      { page: 'cold-interp.html', threads: 1, label: 'ours: core interpreter first, ORT behind' },
      { page: 'cold-interp.html', threads: 2, label: 'ours: core interpreter first, ORT behind' },
      { page: 'cold-tfjs.html', threads: 1, label: 'tfjs (backend init + weights)' },
      { page: 'cold-tfjs.html', threads: 2, label: 'tfjs (backend init + weights)' },
    ];
    const coldRows: ColdRow[] = coldVariants.map((v) => ({
      ...v,
      cold: [],
      second: [],
      third: [],
      used: [],
    }));
    const reps = phases.includes('cold') ? (quick ? 1 : 4) : 0;
    for (let r = 0; r < reps; r++) {
      for (const row of r % 2 ? [...coldRows].reverse() : coldRows) {
        console.error(`cold start ${r + 1}/${reps}: ${row.page} threads=${row.threads}`);
        const sep = row.page.includes('?') ? '&' : '?';
        const url = `${base}/${row.page}${sep}threads=${row.threads}`;
        await withChromium(async (ctx) => {
          const first = await newPage(ctx);
          row.cold.push(await coldLoad(first, url));
          await first.close();
          const again = await newPage(ctx);
          row.second.push(await coldLoad(again, url));
          // Use the page (64-grids for 2 s, then idle): V8 caches wasm code only once enough of it has
          // been optimised, so the 3rd load shows what a returning user who had used the page gets.
          row.used.push(await again.evaluate(() => window.__coldUse!(2000, 2500)));
          await again.close();
          row.third.push(await coldLoad(await newPage(ctx), url));
        });
      }
    }

    const modelSizes = Object.fromEntries(
      [
        'decoder.onnx',
        'decoder-gemm.onnx',
        'decoder-fp16w.onnx',
        'decoder-fp16.onnx',
        'decoder-int8.onnx',
        'decoder-transposed.onnx',
        'bundle-int8/decoder.onnx',
      ].map((f) => [f, statSync(join(modelsDir, f)).size]),
    );
    const decode = decodeTables({ headline, levers, proxied }, LEVERS, NS, modelSizes);
    const cold = coldTable(coldRows);
    console.log(decode.text);
    if (reps) console.log(cold.text);
    const chromiumVersion = await withChromium(async (ctx) => ctx.browser()?.version() ?? 'unknown');
    writeJson(join(here, 'results.json'), {
      date: new Date().toISOString(),
      chromium: chromiumVersion,
      decoder: '20-400-784 MLP (@vae/core mlpVAE, untrained init key(0)), Bernoulli logits out',
      run: RUN,
      loadAverages: [...headline, ...levers, ...proxied].map((x) => x.load),
      decode: decode.json,
      cold: cold.json,
      init: [...headline, ...levers, ...proxied].map((x) => ({
        threads: x.threads,
        proxy: x.proxy,
        ...x.info,
      })),
      modelSizes,
    });
    console.error(`wrote ${join(here, 'results.json')}`);
  } finally {
    server.stop();
  }
}

await main();
