#!/usr/bin/env node
// Grey-level likelihoods against a PyTorch twin (issue 14, evidence 2): Fashion-MNIST grey levels
// (not binarised), 784-400-20 MLP VAE, Adam 1e-3, batch 128, seed 1. For each likelihood, trains
// ours (`vae train --likelihood L` then `vae eval --iw K`) and bench/likelihoods/torch_vae_grey.py
// with the same recipe and likelihood, and prints test bits/dim of each (IW NLL, k = K), their
// difference (target |diff| <= 0.02 bits/dim) and training samples/s. Not a test.
//
//   node bench/likelihoods/run.mjs                       10 epochs, k = 1000, all 10k test images
//   node bench/likelihoods/run.mjs --epochs 2 --iw 100   a quick check of the pipeline
//   node bench/likelihoods/run.mjs --likelihood gaussian one likelihood (repeatable)
//
// Refuses to run unless torch's libopenblas.so.0 is the OpenMP variant (bench/../TOOLCHAIN.md).
// OURS_CMD / TORCH_PYTHON as in bench/train/run.mjs. Results go to bench/likelihoods/results.json.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  driverFiles,
  fmt as f,
  lastJsonLine,
  oursEvalArgv,
  oursTrainArgv,
  readMetrics,
  requireOpenmpBlas,
  run,
  torchArgv,
} from '../lib/peer.mjs';

const { script: TORCH_SCRIPT, results: RESULTS } = driverFiles(import.meta.url, 'torch_vae_grey.py');
const TARGET_BPD_DIFF = 0.02;
const ALL = ['discretized-logistic', 'continuous-bernoulli', 'gaussian'];

const { values: opt } = parseArgs({
  options: {
    likelihood: { type: 'string', multiple: true },
    epochs: { type: 'string', default: '10' },
    iw: { type: 'string', default: '1000' },
    'iw-limit': { type: 'string', default: '0' },
    'gaussian-scale': { type: 'string', default: 'shared' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
    tag: { type: 'string' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(`usage: node bench/likelihoods/run.mjs [--likelihood L ...] [--epochs 10] [--iw 1000] [--iw-limit N]
  L: ${ALL.join(' | ')} (default all three)
  --gaussian-scale shared|per-pixel|fixed:S (default shared) --seed 1 --threads 2 --tag NAME (results key) --keep`);
  process.exit(0);
}
const likelihoods = opt.likelihood ?? ALL;
for (const l of likelihoods) if (!ALL.includes(l)) throw new Error(`unknown likelihood ${l}`);
const cfg = {
  epochs: Number(opt.epochs),
  iw: Number(opt.iw),
  iwLimit: Number(opt['iw-limit']),
  gaussianScale: opt['gaussian-scale'],
  seed: Number(opt.seed),
  threads: Number(opt.threads),
  batch: 128,
  lr: '1e-3',
};

const value = requireOpenmpBlas();

const work = mkdtempSync(path.join(os.tmpdir(), 'vae-bench-lik-'));

async function runOurs(lik) {
  const dir = path.join(work, `ours-${lik}`);
  const trainArgv = oursTrainArgv(cfg, dir, {
    model: ['--likelihood', lik, ...(lik === 'gaussian' ? ['--gaussian-scale', cfg.gaussianScale] : [])],
    extra: ['--threads', String(cfg.threads)],
  });
  const t0 = Date.now();
  await run(trainArgv, `${dir}.log`);
  const { summary, epochs } = readMetrics(dir);
  const evalArgv = oursEvalArgv(cfg, dir);
  const t1 = Date.now();
  const ev = lastJsonLine(await run(evalArgv, `${dir}-eval.log`));
  return {
    impl: 'ours',
    commands: [trainArgv.join(' '), evalArgv.join(' ')],
    samples_per_s: summary?.samples_per_s,
    train_seconds: summary?.train_seconds,
    epoch_train_loss: epochs.map((e) => e.train_loss),
    val_elbo: epochs.at(-1)?.val_elbo ?? null,
    test_nll_iw: ev.nll_iw,
    bits_per_dim: ev.bits_per_dim,
    elbo_bits_per_dim: ev.elbo_bits_per_dim,
    nll_convention: ev.nll_convention,
    iw: ev.iw,
    n_test: ev.n,
    train_wall_s: (t1 - t0) / 1000,
    eval_wall_s: (Date.now() - t1) / 1000,
    eval: ev,
  };
}

async function runTorch(lik) {
  const outFile = path.join(work, `torch-${lik}.json`);
  const argv = torchArgv(TORCH_SCRIPT, cfg, outFile, [
    '--likelihood',
    lik,
    '--gaussian-scale',
    cfg.gaussianScale,
  ]);
  const t0 = Date.now();
  await run(argv, path.join(work, `torch-${lik}.log`));
  return {
    ...JSON.parse(readFileSync(outFile, 'utf8')),
    command: argv.join(' '),
    wall_s: (Date.now() - t0) / 1000,
  };
}

const rows = [];
try {
  console.log(
    `grey-level Fashion-MNIST, 784-400-20, ${cfg.epochs} epochs, Adam ${cfg.lr}, batch ${cfg.batch}, seed ${cfg.seed}, ` +
      `test NLL by IW k=${cfg.iw} on ${cfg.iwLimit > 0 ? `the first ${cfg.iwLimit}` : 'all'} test images`,
  );
  for (const lik of likelihoods) {
    const o = await runOurs(lik);
    console.log(
      `  ours    ${lik}: ${f(o.bits_per_dim, 4)} bits/dim (ELBO ${f(o.elbo_bits_per_dim, 4)}), ${f(o.samples_per_s, 0)} samples/s, train ${f(o.train_wall_s, 1)} s, eval ${f(o.eval_wall_s, 1)} s`,
    );
    const t = await runTorch(lik);
    console.log(
      `  pytorch ${lik}: ${f(t.bits_per_dim, 4)} bits/dim (ELBO ${f(t.elbo_bits_per_dim, 4)}), ${f(t.samples_per_s, 0)} samples/s, wall ${f(t.wall_s, 1)} s`,
    );
    rows.push({ likelihood: lik, ours: o, pytorch: t, diff: o.bits_per_dim - t.bits_per_dim });
  }
  console.log(
    '\n  likelihood              ours b/d   pytorch b/d   diff      ours ELBO b/d  torch ELBO b/d  ours samp/s  torch samp/s  within 0.02',
  );
  for (const r of rows)
    console.log(
      `  ${r.likelihood.padEnd(22)}  ${f(r.ours.bits_per_dim, 4).padStart(8)}   ${f(r.pytorch.bits_per_dim, 4).padStart(11)}   ${(r.diff >= 0 ? '+' : '') + f(r.diff, 4)}   ` +
        `${f(r.ours.elbo_bits_per_dim, 4).padStart(13)}  ${f(r.pytorch.elbo_bits_per_dim, 4).padStart(14)}  ` +
        `${f(r.ours.samples_per_s, 0).padStart(11)}  ${f(r.pytorch.samples_per_s, 0).padStart(12)}  ${Math.abs(r.diff) <= TARGET_BPD_DIFF ? 'yes' : 'NO'}`,
    );
  let all = {};
  if (existsSync(RESULTS)) all = JSON.parse(readFileSync(RESULTS, 'utf8'));
  const key = opt.tag ?? `e${cfg.epochs}-k${cfg.iw}${cfg.iwLimit ? `-n${cfg.iwLimit}` : ''}`;
  all[key] = {
    ...(all[key] ?? {}),
    date: new Date().toISOString(),
    config: cfg,
    blas: value,
    cores: os.cpus().length,
  };
  all[key].rows = { ...(all[key].rows ?? {}), ...Object.fromEntries(rows.map((r) => [r.likelihood, r])) };
  writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS)} (${key})`);
} catch (e) {
  console.error(String(e?.message ?? e));
  opt.keep = true;
  process.exitCode = 1;
} finally {
  if (opt.keep) console.log(`run directories: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
