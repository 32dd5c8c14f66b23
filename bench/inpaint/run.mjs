#!/usr/bin/env node
// Image inpainting on Fashion-MNIST (issue 15): trains an MLP VAE (784-400-20, Adam 1e-3, batch
// 128, seed 1; --likelihood as named) on the training set, then for each mask (centre square,
// random 50%, bottom half) fills the first --n test images with `vae impute --method miwae` and
// `--method gibbs`, each of which also reports mean-fill and 5-NN (neighbours among the 55,000
// training images on the observed pixels) on the same pixels. Prints the RMSE table, writes
// bench/inpaint/results.json (and the PNGs with --keep). Not a test.
//
//   node bench/inpaint/run.mjs                                  (bench/README.md; ~5 min on 2 cores)
//   node bench/inpaint/run.mjs --epochs 1 --n 100 --tag check   a pipeline check
//
// OURS_CMD as in bench/train/run.mjs (default: the CLI from the TypeScript sources).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { driverFiles, fmt, lastJsonLine, oursArgv, run } from '../lib/peer.mjs';
import { markdownTable, recordResults } from '../lib/results.mjs';

const { results: RESULTS } = driverFiles(import.meta.url, 'run.mjs');
const MASKS = ['centre', 'random:0.5', 'half:bottom'];
const METHODS = ['miwae', 'gibbs'];
/** Likelihoods: the CLI's default, and a fixed-scale Gaussian (grey levels as they are). */
const MODELS = {
  bernoulli: [],
  'gaussian-0.1': ['--likelihood', 'gaussian', '--gaussian-scale', 'fixed:0.1'],
  'continuous-bernoulli': ['--likelihood', 'continuous-bernoulli'],
};

const { values: opt } = parseArgs({
  options: {
    model: { type: 'string', multiple: true },
    epochs: { type: 'string', default: '20' },
    n: { type: 'string', default: '500' },
    samples: { type: 'string', default: '100' },
    iters: { type: 'string', default: '300' },
    threads: { type: 'string', default: '2' },
    tag: { type: 'string', default: 'default' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(`usage: node bench/inpaint/run.mjs [--model M ...] [--epochs 20] [--n 500] [--samples 100]
  [--iters 300] [--threads 2] [--tag NAME] [--keep]
  M: ${Object.keys(MODELS).join(' | ')} (default bernoulli)`);
  process.exit(0);
}
const models = opt.model ?? ['bernoulli'];
for (const m of models) if (!(m in MODELS)) throw new Error(`unknown model ${m}`);
const cfg = {
  dataset: 'fashion-mnist',
  epochs: Number(opt.epochs),
  n: Number(opt.n),
  samples: Number(opt.samples),
  iters: Number(opt.iters),
  threads: Number(opt.threads),
  recipe: 'mlp --hidden 400 --latent 20, Adam lr 1e-3, batch 128, seed 1',
  knn: 'k = 5, squared distance on the observed pixels, the training split (55,000 images)',
};
const work = mkdtempSync(path.join(os.tmpdir(), 'vae-bench-inpaint-'));
const t0 = Date.now();
const seconds = (t) => Math.round((Date.now() - t) / 100) / 10;
const threads = ['--threads', String(cfg.threads)];

const results = { config: cfg, machine: { cpus: os.cpus().length, node: process.version }, models: {} };
for (const model of models) {
  const dir = path.join(work, model);
  let t = Date.now();
  const trainArgv = oursArgv(
    'train',
    '--dataset',
    cfg.dataset,
    '--model',
    'mlp',
    ...MODELS[model],
    '--latent',
    '20',
    '--hidden',
    '400',
    '--epochs',
    String(cfg.epochs),
    '--seed',
    '1',
    ...threads,
    '--quiet',
    '--out',
    dir,
  );
  await run(trainArgv, `${dir}.train.log`, `train ${model}`);
  const row = { train_s: seconds(t), masks: {} };
  console.log(`${model}: trained in ${row.train_s} s`);
  for (const mask of MASKS) {
    row.masks[mask] = {};
    for (const method of METHODS) {
      t = Date.now();
      const png = path.join(work, `${model}-${mask.replace(':', '-')}-${method}.png`);
      const argv = oursArgv(
        'impute',
        '--run',
        dir,
        '--mask',
        mask,
        '--method',
        method,
        ...(method === 'miwae' ? ['--samples', String(cfg.samples)] : ['--iters', String(cfg.iters)]),
        '--n',
        String(cfg.n),
        ...threads,
        '--out',
        png,
      );
      const r = lastJsonLine(await run(argv, `${png}.log`, `impute ${model} ${mask} ${method}`));
      row.masks[mask][method] = {
        ...r.rmse,
        acceptance: r.acceptance,
        ess: r.ess,
        missing: r.missing_fraction,
        wall_s: seconds(t),
      };
      console.log(
        `  ${mask} ${method}: RMSE model ${fmt(r.rmse.model, 4)}, mean-fill ${fmt(r.rmse.mean_fill, 4)}, 5-NN ${fmt(r.rmse.knn, 4)} (${seconds(t)} s)`,
      );
    }
  }
  results.models[model] = row;
}
results.wall_s = seconds(t0);

// The table: one row per (model, mask); RMSE of each method on the same missing pixels.
const rows = Object.entries(results.models).flatMap(([model, row]) =>
  Object.entries(row.masks).map(([mask, r]) =>
    [model, mask, r.miwae.model, r.gibbs.model, r.miwae.mean_fill, r.miwae.knn].map((x, i) =>
      i < 2 ? x : fmt(x, 4),
    ),
  ),
);
console.log(`\n${markdownTable(['model', 'mask', 'miwae', 'gibbs (MwG)', 'mean-fill', '5-NN'], rows)}`);
recordResults({ file: RESULTS, tag: opt.tag, results, work, keep: opt.keep });
