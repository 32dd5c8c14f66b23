// Browser training benchmark (issue 17): samples/s of training `vae train`'s default recipe (MLP
// 784-400-20 Bernoulli VAE, Adam 1e-3, batch 128, the 8000 embedded training digits binarised afresh
// each visit) in headless Chromium at 1 and 2 threads, for TensorFlow.js (wasm backend, the peer) and
// ours (@vae/train-web, once it is there) in the same page, against onnxruntime-node on the same
// machine (@vae/train-node's train(), 1 and 2 threads). Rounds interleave the pages and the Node runs.
// Then cold start (navigation to the first completed step) and the page's peak memory.
//   pnpm --filter @vae/bench bench:browser-train [--quick] [--skip-build] [--rounds=N] [--only=speed,cold]
// This file: the flags and the order of the runs; measure.ts runs them, report.ts prints the tables.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dataset, mnistDefault } from '@vae/datasets';
import { writeJson } from '../browser/report';
import { buildPage, startPreview } from '../lib/chromium';
import {
  BATCH,
  type BenchConfig,
  type ColdRun,
  coldRun,
  type NodeRun,
  nodeRun,
  type PageRun,
  speedPage,
  THREADS,
  withTrainBrowser,
} from './measure';
import { BENCH_TRAIN_DIST } from './page/vite.config';
import { f0, f2, report } from './report';

const here = dirname(fileURLToPath(import.meta.url));
const config = join(here, 'page', 'vite.config.ts');
const distDir = BENCH_TRAIN_DIST;
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const flag = (name: string, dflt: number) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
};
const phases = (argv.find((a) => a.startsWith('--only='))?.slice(7) ?? 'speed,cold').split(',');

/** The sizes of the run (see BenchConfig); --quick makes a smoke run. */
const CFG: BenchConfig = {
  rounds: flag('rounds', quick ? 1 : 3),
  steps: flag('steps', quick ? 20 : 62),
  blocks: flag('blocks', quick ? 1 : 2),
  warmup: flag('warmup', quick ? 5 : 10),
  coldReps: flag('cold-reps', quick ? 1 : 2),
  coldSteps: flag('cold-steps', quick ? 20 : 62),
};

/** Speed: rounds of a page per thread count and a Node run per thread count, reversed every other round. */
async function speedPhase(base: string, data: Dataset, epochs: number, loads: number[]) {
  const pages: PageRun[] = [];
  const nodes: NodeRun[] = [];
  for (let r = 0; r < CFG.rounds; r++) {
    const jobs: [string, () => Promise<void>][] = [];
    for (const t of THREADS)
      jobs.push([
        `page ${t} thread(s)`,
        async () => {
          pages.push(await speedPage(base, t, r, CFG));
        },
      ]);
    for (const t of THREADS)
      jobs.push([
        `onnxruntime-node ${t} thread(s), ${epochs} epoch(s)`,
        async () => {
          nodes.push(await nodeRun(data, t, epochs, r));
        },
      ]);
    for (const [label, job] of r % 2 ? jobs.reverse() : jobs) {
      loads.push(loadavg()[0]!);
      console.error(`round ${r + 1}/${CFG.rounds}: ${label} (load ${loadavg()[0]!.toFixed(2)})`);
      await job();
      const last = label.startsWith('page') ? pages.at(-1)! : null;
      if (last) {
        const by = (peer: string) =>
          last.blocks
            .filter((b) => b.peer === peer)
            .map((b) => f0(b.samplesPerSecond))
            .join(', ');
        console.error(
          `  tfjs ${by('tfjs')} samples/s (threads ${last.info.tfjsThreads}); ours ${by('ours') || `- (${last.info.oursError})`}`,
        );
      } else console.error(`  ${f0(nodes.at(-1)!.samplesPerSecond)} samples/s`);
    }
  }
  return { pages, nodes };
}

/** Cold starts: every (page, threads) in a fresh profile, reversed every other repetition. */
async function coldPhase(base: string, loads: number[]): Promise<ColdRun[]> {
  const colds: ColdRun[] = [];
  // 'ours?k=1': one step per call, so its first progress event is its first step.
  const variants: [string, number][] = [['blank', 0]];
  for (const t of THREADS) variants.push(['tfjs', t], ['ours', t], ['ours?k=1', t]);
  for (let r = 0; r < CFG.coldReps; r++)
    for (const [peer, t] of r % 2 ? [...variants].reverse() : variants) {
      loads.push(loadavg()[0]!);
      console.error(
        `cold ${r + 1}/${CFG.coldReps}: ${peer} ${t} thread(s) (load ${loadavg()[0]!.toFixed(2)})`,
      );
      const c = await coldRun(base, peer, t, CFG.coldSteps);
      colds.push(c);
      if (c.error) console.error(`  error: ${c.error.split('\n')[0]}`);
      else
        console.error(
          `  first step ${f0(c.result?.marks.firstStep ?? Number.NaN)} ms, renderer peak ${f0(c.memory!.rendererPeakMiB)} MiB`,
        );
    }
  return colds;
}

async function main() {
  const t0 = performance.now();
  const digits = await mnistDefault();
  const data = digits.train;
  console.error(`data: ${data.count} training digits of the embedded default (${digits.cacheStatus})`);
  if (!argv.includes('--skip-build')) buildPage(config);
  // The digits go next to the page as raw bytes (8000 x 784 uint8); the page fetches them.
  mkdirSync(join(distDir, 'data'), { recursive: true });
  writeFileSync(join(distDir, 'data', 'train.u8'), data.data as Uint8Array);
  // Ours takes the embedded digits in @vae/datasets' cache format (what the playground sends).
  copyFileSync(digits.cachePath, join(distDir, 'data', 'digits.bin'));

  const server = await startPreview(config);
  const loads: number[] = [];
  const epochs = Math.max(1, Math.round((CFG.steps * CFG.blocks) / Math.floor(data.count / BATCH)));
  try {
    const { pages, nodes } = phases.includes('speed')
      ? await speedPhase(server.base, data, epochs, loads)
      : { pages: [], nodes: [] };
    const colds = phases.includes('cold') ? await coldPhase(server.base, loads) : [];
    const rep = report(pages, nodes, colds, CFG);
    console.log(rep.text);
    console.log(
      `\nload average (1 min) at each step: ${loads.map(f2).join(' ')}; ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`,
    );
    const chromiumVersion = await withTrainBrowser(async (ctx) => ctx.browser()?.version() ?? 'unknown');
    const file = join(here, 'results.json');
    writeJson(file, {
      date: new Date().toISOString(),
      chromium: chromiumVersion,
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      recipe:
        'mlpVAE 784-400-20 (relu), Bernoulli likelihood, dynamic binarisation, analytic KL, Adam lr 1e-3, batch 128, 8000 embedded training digits',
      config: {
        rounds: CFG.rounds,
        steps: CFG.steps,
        blocks: CFG.blocks,
        warmup: CFG.warmup,
        coldReps: CFG.coldReps,
        coldSteps: CFG.coldSteps,
        nodeEpochs: epochs,
      },
      loadAverages: loads,
      ...rep.json,
      pages,
      nodes,
      wall_s: (performance.now() - t0) / 1000,
    });
    console.error(`wrote ${file}`);
  } finally {
    server.stop();
  }
}

await main();
