#!/usr/bin/env node
// One-class anomaly detection on Fashion-MNIST (issue 15): for each normal class c, trains a VAE
// (`--arch mlp`: 784-400-20; `--arch conv`: convs 32,64, latent 20; Adam 1e-3, batch 128, seed 1)
// on class c's training images only
// (`vae train --dataset fashion-mnist --classes c`), scores the whole test set with every method
// (`vae score --normal-class c --score ...`), and sets the AUROCs beside a PCA reconstruction-error
// baseline fitted on the same images (bench/anomaly/pca_baseline.py). Prints the per-class table
// and the means, writes bench/anomaly/results.json. Not a test.
//
//   node bench/anomaly/run.mjs --model gaussian-0.1 --background 0.2 --tag gaussian   (bench/README.md)
//   node bench/anomaly/run.mjs --model bernoulli --background 0.2 --tag bernoulli
//   node bench/anomaly/run.mjs --classes 8 --epochs 2 --iw 10 --limit 1000 --tag check   a pipeline check
//   node bench/anomaly/run.mjs --arch conv --model gaussian-0.1 --epochs 30 --iw 0 --score elbo,recon,kl \
//     --no-pca --tag gaussian-conv --scores-dir DIR    per-example scores kept for combine.ts
//
// OURS_CMD as in bench/train/run.mjs (default: the CLI from the TypeScript sources).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { driverFiles, fmt, lastJsonLine, oursArgv, run, TORCH_PYTHON } from '../lib/peer.mjs';
import { markdownTable, recordResults } from '../lib/results.mjs';
import { writePerturbed } from './perturb.mjs';

const { script: PCA_SCRIPT, results: RESULTS } = driverFiles(import.meta.url, 'pca_baseline.py');
const METHODS = ['nll', 'elbo', 'recon', 'kl', 'latent', 'complexity', 'regret'];
/** The likelihoods compared: the CLI's default, and a fixed-scale Gaussian. */
const MODELS = {
  bernoulli: [],
  'gaussian-0.1': ['--likelihood', 'gaussian', '--gaussian-scale', 'fixed:0.1'],
  'discretized-logistic': ['--likelihood', 'discretized-logistic'],
};
/** The networks: `vae train --model` and its default `--hidden` here (conv: channel widths). */
const ARCHS = { mlp: '400', conv: '32,64' };

const { values: opt } = parseArgs({
  options: {
    classes: { type: 'string', default: '0,1,2,3,4,5,6,7,8,9' },
    model: { type: 'string', multiple: true },
    arch: { type: 'string', default: 'mlp' },
    hidden: { type: 'string' },
    epochs: { type: 'string', default: '100' },
    iw: { type: 'string', default: '100' },
    score: { type: 'string', default: METHODS.join(',') },
    background: { type: 'string' },
    'regret-steps': { type: 'string', default: '50' },
    limit: { type: 'string' },
    threads: { type: 'string', default: '2' },
    'no-pca': { type: 'boolean', default: false },
    tag: { type: 'string', default: 'default' },
    keep: { type: 'boolean', default: false },
    'scores-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(`usage: node bench/anomaly/run.mjs [--classes 0,...,9] [--model M ...] [--epochs 100] [--iw 100]
  [--score ${METHODS.join(',')}] [--background RATE] [--regret-steps 50] [--limit N] [--threads 2]
  [--no-pca] [--tag NAME] [--keep] [--arch mlp|conv] [--hidden H] [--scores-dir DIR]
  --scores-dir DIR: keep each class's per-example scores of the test split and of its normal
  validation split (vae score --split val) as DIR/<tag>-<model>-<c>-{test,val}.csv, for combine.ts.
  M: ${Object.keys(MODELS).join(' | ')} (default bernoulli and gaussian-0.1)
  --background RATE: also train a background VAE per class on its images with each pixel replaced
  by a random level with probability RATE (Ren et al. 2019), and add --score ratio.`);
  process.exit(0);
}
const classes = opt.classes.split(',').map(Number);
const models = opt.model ?? ['bernoulli', 'gaussian-0.1'];
for (const m of models) if (!(m in MODELS)) throw new Error(`unknown model ${m}`);
if (!(opt.arch in ARCHS)) throw new Error(`unknown --arch ${opt.arch} (mlp or conv)`);
const hidden = opt.hidden ?? ARCHS[opt.arch];
const scores = [...opt.score.split(','), ...(opt.background ? ['ratio'] : [])];
const cfg = {
  epochs: Number(opt.epochs),
  iw: Number(opt.iw),
  regretSteps: Number(opt['regret-steps']),
  limit: opt.limit ? Number(opt.limit) : null,
  threads: Number(opt.threads),
  background: opt.background ? Number(opt.background) : null,
  arch: opt.arch,
  hidden,
  recipe: `${opt.arch} --hidden ${hidden} --latent 20, Adam lr 1e-3, batch 128, seed 1, --val 5000 (then only class c)`,
};
const work = mkdtempSync(path.join(os.tmpdir(), 'vae-bench-anomaly-'));
const t0 = Date.now();
const seconds = (t) => Math.round((Date.now() - t) / 100) / 10;

const train = (dir, dataset, extra) =>
  oursArgv(
    'train',
    '--dataset',
    dataset,
    ...extra,
    '--model',
    cfg.arch,
    '--latent',
    '20',
    '--hidden',
    cfg.hidden,
    '--epochs',
    String(cfg.epochs),
    '--seed',
    '1',
    '--threads',
    String(cfg.threads),
    '--quiet',
    '--out',
    dir,
  );

async function oneClass(model, c) {
  const dir = path.join(work, `${model}-${c}`);
  const t = Date.now();
  await run(train(dir, 'fashion-mnist', ['--classes', String(c), ...MODELS[model]]), `${dir}.train.log`);
  const trainS = seconds(t);
  let bg = [];
  if (cfg.background !== null) {
    const npy = path.join(work, `bg-${c}.npy`);
    await writePerturbed(c, cfg.background, npy);
    await run(train(`${dir}-bg`, npy, MODELS[model]), `${dir}.bg.log`);
    bg = ['--background', `${dir}-bg`];
  }
  const s = Date.now();
  const argv = oursArgv(
    'score',
    '--run',
    dir,
    '--normal-class',
    String(c),
    '--score',
    scores.join(','),
    '--iw',
    String(cfg.iw),
    '--regret-steps',
    String(cfg.regretSteps),
    '--threads',
    String(cfg.threads),
    ...bg,
    ...(cfg.limit ? ['--limit', String(cfg.limit)] : []),
    '--out',
    path.join(dir, 'scores.csv'),
  );
  const r = lastJsonLine(await run(argv, `${dir}.score.log`)).report;
  if (opt['scores-dir']) {
    // The validation split holds class c only (vae train --classes c): what combine.ts standardises on.
    const valArgv = [
      ...argv.slice(0, argv.indexOf('--normal-class')),
      ...argv.slice(argv.indexOf('--score')),
    ];
    valArgv.splice(valArgv.indexOf('--out'), 2, '--split', 'val', '--out', path.join(dir, 'val.csv'));
    await run(valArgv, `${dir}.val.log`);
    mkdirSync(opt['scores-dir'], { recursive: true });
    for (const split of ['test', 'val'])
      copyFileSync(
        path.join(dir, split === 'test' ? 'scores.csv' : 'val.csv'),
        path.join(opt['scores-dir'], `${opt.tag}-${model}-${c}-${split}.csv`),
      );
  }
  const row = { train_s: trainS, score_s: seconds(s), by_score: r.by_score, threshold: r.threshold };
  console.log(
    `${model} class ${c}: ${Object.entries(r.by_score)
      .map(([k, v]) => `${k} ${fmt(v.auroc, 4)}`)
      .join(', ')} (train ${trainS} s, score ${row.score_s} s)`,
  );
  if (!opt.keep) rmSync(dir, { recursive: true, force: true });
  return row;
}

const results = {
  config: cfg,
  machine: { cpus: os.cpus().length, node: process.version },
  models: {},
  pca: null,
};
if (!opt['no-pca']) {
  const t = Date.now();
  const out = await run(
    [TORCH_PYTHON, PCA_SCRIPT, '--classes', classes.join(',')],
    path.join(work, 'pca.log'),
  );
  results.pca = { ...lastJsonLine(out), wall_s: seconds(t) };
  console.log(`PCA baseline: ${seconds(t)} s`);
}
for (const model of models) {
  results.models[model] = {};
  for (const c of classes) results.models[model][c] = await oneClass(model, c);
}
results.wall_s = seconds(t0);

// The table: one row per class, AUROC x 100 of each model's scores and of PCA.
const cols = models.flatMap((m) => scores.map((s) => [m, s]));
const head = ['class', ...cols.map(([m, s]) => `${m}:${s}`), ...(results.pca ? ['PCA', 'PCA oracle-k'] : [])];
const rows = classes.map((c) => [
  String(c),
  ...cols.map(([m, s]) => fmt(results.models[m][c].by_score[s]?.auroc * 100, 1)),
  ...(results.pca
    ? [fmt(results.pca.classes[c].auroc * 100, 1), fmt(results.pca.classes[c].oracle_auroc * 100, 1)]
    : []),
]);
const mean = (f) => classes.reduce((a, c) => a + f(c), 0) / classes.length;
rows.push([
  'mean',
  ...cols.map(([m, s]) => fmt(mean((c) => results.models[m][c].by_score[s]?.auroc) * 100, 1)),
  ...(results.pca
    ? [
        fmt(mean((c) => results.pca.classes[c].auroc) * 100, 1),
        fmt(mean((c) => results.pca.classes[c].oracle_auroc) * 100, 1),
      ]
    : []),
]);
console.log(`\n${markdownTable(head, rows)}`);
recordResults({ file: RESULTS, tag: opt.tag, results, work, keep: opt.keep });
