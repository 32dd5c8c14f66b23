#!/usr/bin/env node
// IW evaluation benchmark: `vae eval --run R --iw 1000` (onnxruntime-node) versus the PyTorch
// reference's same importance-sampled NLL (bench/eval/torch_iw_eval.py: bench/lib/torch_common.py's
// `evaluate`, torch threads 2) on the 10000 Fashion-MNIST test images. One run is trained once
// (ours, 784-400-20 MLP, 1 epoch); the torch peer loads its weights and the very test images ours
// scores (binarised once, written by dump-test.ts), so both estimate the same log p(x) and only the
// draws differ. Rounds alternate who goes first (ABBA). Not a test: it prints figures and ratios.
//
//   node bench/eval/run.mjs                        3 rounds on all 10000 test images
//   node bench/eval/run.mjs --limit 500 --rounds 1 a quick check
//   node bench/eval/run.mjs --run DIR              reuse a trained 784-400-20 run (no training)
//
// Refuses to run when torch would load the pthread OpenBLAS (bench/lib/peer.mjs requireOpenmpBlas).
// OURS_CMD / TORCH_PYTHON as in bench/train/run.mjs.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  driverFiles,
  fmt,
  lastJsonLine,
  machine,
  median,
  OURS_CMD,
  oursArgv,
  oursTrainArgv,
  requireOpenmpBlas,
  requireTime,
  run,
  TORCH_PYTHON,
  timed,
} from '../lib/peer.mjs';
import { oursConfig } from '../lib/peer-config.mjs';
import { recordResults } from '../lib/results.mjs';

/**
 * The torch peer's `chunk_elems` (decoder outputs per pass of torch_common.evaluate): 800000 puts
 * one image's 1000 samples in a pass, its fastest setting here (2026-12, 2 cores: 1.6e6 and the
 * default 4e6 were 5-35% slower), so the peer gets the same batching freedom as ours.
 */
export const TORCH_CHUNK_ELEMS = 800_000;

const { script: TORCH_SCRIPT, results: RESULTS } = driverFiles(import.meta.url, 'torch_iw_eval.py');
const DUMP_SCRIPT = path.join(path.dirname(TORCH_SCRIPT), 'dump-test.ts');
const TSX = ['--conditions=@vae/source', '--import', import.meta.resolve('tsx')];
const TARGET_RATIO = 1; // ours images/s over torch's: "no slower"

const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    iw: { type: 'string', default: '1000' },
    limit: { type: 'string', default: '0' }, // 0 = all 10000 test images
    threads: { type: 'string', default: '2' },
    epochs: { type: 'string', default: '1' },
    run: { type: 'string' },
    'torch-chunk-elems': { type: 'string', default: String(TORCH_CHUNK_ELEMS) },
    tag: { type: 'string', default: 'default' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(`usage: node bench/eval/run.mjs [--rounds 3] [--iw 1000] [--limit N] [--threads 2]
  [--epochs 1 | --run DIR] [--torch-chunk-elems ${TORCH_CHUNK_ELEMS}] [--tag default] [--keep]
env: OURS_CMD (default "node packages/train-node/bin/vae.mjs"), TORCH_PYTHON (default /usr/bin/python3)`);
  process.exit(0);
}
const int = (name, min) => {
  const v = Number(opt[name]);
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return v;
};
const cfg = {
  rounds: int('rounds', 1),
  iw: int('iw', 1),
  limit: int('limit', 0),
  threads: int('threads', 1),
  epochs: int('epochs', 1),
  torchChunkElems: int('torch-chunk-elems', 1),
};

const blas = requireOpenmpBlas();
requireTime();
const work = mkdtempSync(path.join(os.tmpdir(), 'vae-bench-eval-'));
const t0 = performance.now();

/** The run both sides evaluate: --run, or one trained here (untimed). */
async function trainedRun() {
  if (opt.run) return path.resolve(opt.run);
  const dir = path.join(work, 'run');
  const recipe = { epochs: cfg.epochs, batch: 128, lr: '1e-3', seed: 1 };
  console.log(`training the 784-400-20 MLP VAE (ours, ${cfg.epochs} epoch(s)) for both sides`);
  await run(oursTrainArgv(recipe, dir), `${dir}.log`, 'ours train');
  return dir;
}

async function runOurs(dir, tag) {
  const argv = oursArgv('eval', '--run', dir, '--iw', String(cfg.iw), '--threads', String(cfg.threads));
  if (cfg.limit > 0) argv.push('--limit', String(cfg.limit));
  const r = await timed([...argv, '--quiet'], 'ours eval', path.join(work, `ours-${tag}.log`));
  const out = lastJsonLine(r.stdout);
  return {
    impl: 'ours',
    seconds: r.wallSeconds,
    n: out.n,
    elbo: out.elbo,
    nll_iw: out.nll_iw,
    peak_rss_bytes: r.peakRssBytes,
  };
}

async function runTorch(dir, testFile, tag) {
  const outFile = path.join(work, `torch-${tag}.json`);
  const argv = [
    TORCH_PYTHON,
    TORCH_SCRIPT,
    ...['--weights', path.join(dir, 'best.safetensors'), '--test', testFile, '--iw', String(cfg.iw)],
    ...['--limit', String(cfg.limit), '--threads', String(cfg.threads)],
    ...['--chunk-elems', String(cfg.torchChunkElems), '--out', outFile],
  ];
  const r = await timed(argv, 'torch eval', path.join(work, `torch-${tag}.log`));
  const out = JSON.parse(readFileSync(outFile, 'utf8'));
  return { ...out, eval_seconds: out.seconds, seconds: r.wallSeconds, peak_rss_bytes: r.peakRssBytes };
}

const ips = (r) => r.n / r.seconds;
const line = (round, r) =>
  `  round ${round} ${r.impl.padEnd(7)} ${fmt(r.seconds, 2).padStart(7)} s  ${fmt(ips(r), 1).padStart(6)} images/s` +
  (r.eval_seconds
    ? `  (evaluation alone ${fmt(r.eval_seconds, 2)} s, ${fmt(r.n / r.eval_seconds, 1)} images/s)`
    : '') +
  `  -ELBO ${fmt(r.elbo, 2)}  NLL ${fmt(r.nll_iw, 2)}`;

async function main() {
  const dir = await trainedRun();
  const testFile = path.join(work, 'test.u8');
  await run(
    ['node', ...TSX, DUMP_SCRIPT, dir, testFile, ...(cfg.limit ? [String(cfg.limit)] : [])],
    `${testFile}.log`,
    'dump-test',
  );
  const ours = { cmd: OURS_CMD, ...oursConfig(cfg.threads) };
  console.log(
    `run ${dir}: k = ${cfg.iw}, ${cfg.limit || 'all'} test images, ${cfg.rounds} rounds, order alternates`,
  );
  console.log(`ours: ${OURS_CMD} eval (onnxruntime-node ${ours.onnxruntime_node}), --threads ${cfg.threads}`);
  const rounds = [];
  for (let i = 1; i <= cfg.rounds; i++) {
    const order = i % 2 ? ['ours', 'torch'] : ['torch', 'ours'];
    const r = {};
    for (const who of order) {
      r[who] = who === 'ours' ? await runOurs(dir, `r${i}`) : await runTorch(dir, testFile, `r${i}`);
      console.log(line(i, r[who]));
    }
    r.ratio = ips(r.ours) / ips(r.torch);
    r.strict_ratio = r.torch.eval_seconds / r.ours.seconds;
    console.log(
      `  round ${i} ratio ours/pytorch ${r.ratio.toFixed(3)}x (our whole command vs their evaluation alone ${r.strict_ratio.toFixed(3)}x)`,
    );
    rounds.push(r);
  }
  const t = rounds[0].torch;
  const peer = { torch: t.torch, parallel: t.parallel, blas, threads: t.threads, chunk_elems: t.chunk_elems };
  console.log(
    `peer: PyTorch ${peer.torch} (${peer.parallel}), BLAS ${blas}, chunk_elems ${peer.chunk_elems}`,
  );
  const ratio = median(rounds.map((r) => r.ratio));
  const strict = median(rounds.map((r) => r.strict_ratio));
  const med = (who, k) => median(rounds.map((r) => r[who][k]));
  const nllDiff = med('ours', 'nll_iw') - med('torch', 'nll_iw');
  console.log(`\nmedians over ${cfg.rounds} rounds (n = ${rounds[0].ours.n}, k = ${cfg.iw})`);
  console.log(`  ours     ${fmt(med('ours', 'seconds'), 2)} s  NLL ${fmt(med('ours', 'nll_iw'), 3)}`);
  console.log(
    `  pytorch  ${fmt(med('torch', 'seconds'), 2)} s  (evaluation alone ${fmt(med('torch', 'eval_seconds'), 2)} s)  NLL ${fmt(med('torch', 'nll_iw'), 3)}`,
  );
  console.log(
    `  per-round ratios (images/s, ours/pytorch): ${rounds.map((r) => r.ratio.toFixed(3)).join(', ')} (median ${ratio.toFixed(3)}x)`,
  );
  console.log(`  against their evaluation alone: median ${strict.toFixed(3)}x`);
  console.log(
    `  NLL ours - pytorch: ${nllDiff >= 0 ? '+' : ''}${nllDiff.toFixed(3)} nats (same weights and images; draws differ)`,
  );
  const met = ratio >= TARGET_RATIO;
  console.log(
    `  target no slower than PyTorch (ratio >= ${TARGET_RATIO}): ${met ? 'MET' : 'NOT MET'} (${ratio.toFixed(3)}x)`,
  );
  recordResults({
    file: RESULTS,
    tag: opt.tag,
    work,
    keep: opt.keep,
    results: {
      date: new Date().toISOString(),
      machine: machine(),
      config: cfg,
      peer,
      ours,
      median_ratio: ratio,
      median_strict_ratio: strict,
      nll_diff: nllDiff,
      target: { ratio: `>= ${TARGET_RATIO}`, met },
      rounds,
      wall_s: Number(((performance.now() - t0) / 1e3).toFixed(1)),
    },
  });
}

try {
  await main();
} catch (e) {
  console.error(String(e?.message ?? e));
  console.error(`(logs kept in ${work})`);
  process.exitCode = 1;
}
