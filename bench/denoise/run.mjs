#!/usr/bin/env node
// Denoising benchmark (issue 15): on Fashion-MNIST, trains a plain MLP VAE and, per corruption, a
// denoising VAE (`vae train --denoise NOISE`: the encoder sees corrupted images, the likelihood
// scores the clean ones; Im et al. 2017) with the same recipe (784-400-20, Gaussian likelihood with
// a fixed sigma of 0.1, Adam 1e-3, batch 128, seed 1), then corrupts the test images with one seed
// and measures mean PSNR and SSIM against the clean images (`vae denoise --noise NOISE --seed 1`,
// the same noisy images for both models) of: the noisy input, the plain VAE's reconstruction of
// it, and the denoising VAE's. Prints the table, writes bench/denoise/results.json. Not a test.
//
//   node bench/denoise/run.mjs                               20 epochs, gaussian:0.5 and mask:0.5
//   node bench/denoise/run.mjs --epochs 1 --limit 500 --tag check   a pipeline check (about a minute)
//
// Needs: apt-get install -y dataset-fashion-mnist. OURS_CMD as in bench/train/run.mjs.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, lastJsonLine, oursArgv, run } from '../lib/peer.mjs';
import { markdownTable, recordResults } from '../lib/results.mjs';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');

const { values: opt } = parseArgs({
  options: {
    noise: { type: 'string', default: 'gaussian:0.5,mask:0.5' },
    epochs: { type: 'string', default: '20' },
    dataset: { type: 'string', default: 'fashion-mnist' },
    likelihood: { type: 'string', default: 'gaussian --gaussian-scale fixed:0.1' },
    limit: { type: 'string' },
    threads: { type: 'string', default: '2' },
    tag: { type: 'string', default: 'default' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(`usage: node bench/denoise/run.mjs [--noise gaussian:0.5,mask:0.5] [--epochs 20] [--dataset fashion-mnist]
  [--likelihood 'gaussian --gaussian-scale fixed:0.1'] [--limit N] [--threads 2] [--tag NAME] [--keep]
  --keep keeps the runs and the pictures (clean / noisy / denoised rows of the first 16 test images)`);
  process.exit(0);
}
const noises = opt.noise.split(',');
const cfg = {
  dataset: opt.dataset,
  epochs: Number(opt.epochs),
  likelihood: opt.likelihood,
  limit: opt.limit ? Number(opt.limit) : null,
  threads: Number(opt.threads),
  seed: 1,
  recipe: 'mlp 784-400-20, Adam lr 1e-3, batch 128, seed 1, --val 5000; vae denoise --seed 1',
};
const work = mkdtempSync(path.join(os.tmpdir(), 'vae-bench-denoise-'));
const seconds = (t) => Math.round((Date.now() - t) / 100) / 10;

async function train(name, extra) {
  const dir = path.join(work, name);
  const t = Date.now();
  const argv = oursArgv(
    'train',
    '--dataset',
    cfg.dataset,
    '--model',
    'mlp',
    '--likelihood',
    ...cfg.likelihood.split(/\s+/),
    '--latent',
    '20',
    '--hidden',
    '400',
    '--epochs',
    String(cfg.epochs),
    '--seed',
    String(cfg.seed),
    '--threads',
    String(cfg.threads),
    ...extra,
    '--quiet',
    '--out',
    dir,
  );
  const r = lastJsonLine(await run(argv, `${dir}.train.log`, `train ${name}`));
  console.log(`trained ${name}: best val -ELBO ${fmt(r.best_val_elbo, 2)} (${seconds(t)} s)`);
  return { dir, train_s: seconds(t), best_val_elbo: r.best_val_elbo };
}

async function denoise(runDir, noise, label) {
  const png = path.join(work, `${label}.png`);
  const argv = oursArgv(
    'denoise',
    '--run',
    runDir,
    '--noise',
    noise,
    '--seed',
    String(cfg.seed),
    '--threads',
    String(cfg.threads),
    ...(cfg.limit ? ['--limit', String(cfg.limit)] : []),
    '--out',
    png,
    '--quiet',
  );
  return { ...lastJsonLine(await run(argv, path.join(work, `${label}.log`), `denoise ${label}`)), png };
}

const t0 = Date.now();
const results = { config: cfg, machine: { cpus: os.cpus().length, node: process.version }, noises: {} };
const plain = await train('plain', []);
results.plain = { train_s: plain.train_s, best_val_elbo: plain.best_val_elbo };
for (const noise of noises) {
  const slug = noise.replace(':', '-');
  const dvae = await train(`denoise-${slug}`, ['--denoise', noise]);
  const p = await denoise(plain.dir, noise, `plain-${slug}`);
  const d = await denoise(dvae.dir, noise, `denoise-${slug}`);
  const q = (r) => ({ psnr: r.psnr, ssim: r.ssim });
  results.noises[noise] = {
    n: d.n,
    noisy: q(d.noisy),
    plain: q(p.denoised),
    denoising: q(d.denoised),
    denoising_train_s: dvae.train_s,
    denoising_best_val_elbo: dvae.best_val_elbo,
    pictures: opt.keep ? { plain: p.png, denoising: d.png } : null,
  };
}
results.wall_s = seconds(t0);

const head = ['noise', 'examples', 'noisy input', 'plain VAE', 'denoising VAE'];
console.log(`\nPSNR (dB) / SSIM against the clean test images, means:\n`);
const cell = (x) => `${fmt(x.psnr, 2)} / ${fmt(x.ssim, 4)}`;
const rows = Object.entries(results.noises).map(([noise, r]) => [
  noise,
  r.n,
  cell(r.noisy),
  cell(r.plain),
  cell(r.denoising),
]);
console.log(markdownTable(head, rows));
recordResults({ file: RESULTS, tag: opt.tag, results, work, keep: opt.keep });
