#!/usr/bin/env node
// Embedding benchmark (issue 15): how well a VAE's latent space separates Fashion-MNIST's classes,
// against PCA of the same dimension. For latent sizes 20 and 2 it trains the 784-400-d MLP VAE with
// our CLI (`vae train --dataset fashion-mnist --model mlp --hidden 400 --latent d`), writes the
// posterior means with `vae embed` (the first --refs examples of the training split, and the whole
// test split), and scores both representations with an exact k-NN classifier (knn.py: k = 5,
// the training examples as references, every test image as a query; PCA fitted on the 55000
// training images). Prints the table and writes results.json. Not a test.
//
//   node bench/embed/run.mjs                      10 epochs each (about 10 minutes on 2 cores)
//   node bench/embed/run.mjs --epochs 1 --latents 2   (pipeline check, about a minute)
//
// Needs: apt-get install -y dataset-fashion-mnist python3-sklearn (see TOOLCHAIN.md on OpenBLAS).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { driverFiles, fmt, lastJsonLine, oursArgv, run, TORCH_PYTHON } from '../lib/peer.mjs';

const { script: KNN, results: RESULTS } = driverFiles(import.meta.url, 'knn.py');

const { values: opt } = parseArgs({
  options: {
    latents: { type: 'string', default: '20,2' },
    epochs: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    k: { type: 'string', default: '5' },
    refs: { type: 'string', default: '10000' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(`usage: node bench/embed/run.mjs [--latents 20,2] [--epochs 10] [--seed 1] [--k 5] [--refs 10000] [--keep]
  --keep keeps the runs, the embeddings and the maps (map-latent<d>.png, all test images)`);
  process.exit(0);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'vae-bench-embed-'));
const seconds = (t0) => (Date.now() - t0) / 1000;

async function one(latent) {
  const dir = path.join(work, `latent-${latent}`);
  const log = (name) => path.join(work, `${latent}-${name}.log`);
  const trainArgv = oursArgv(
    'train',
    '--dataset',
    'fashion-mnist',
    '--model',
    'mlp',
    '--hidden',
    '400',
    '--latent',
    String(latent),
    '--epochs',
    opt.epochs,
    '--seed',
    opt.seed,
    '--quiet',
    '--out',
    dir,
  );
  const t0 = Date.now();
  const trained = lastJsonLine(await run(trainArgv, log('train'), `vae train (latent ${latent})`));
  const trainSeconds = seconds(t0);
  const train = path.join(work, `train-${latent}.npy`);
  const test = path.join(work, `test-${latent}.npy`);
  const map = path.join(work, `map-latent${latent}.png`);
  const embedTrain = oursArgv('embed', '--run', dir, '--split', 'train', '--limit', opt.refs, '--out', train);
  const embedTest = oursArgv('embed', '--run', dir, '--split', 'test', '--out', test, '--plot', map);
  const t1 = Date.now();
  await run(embedTrain, log('embed-train'), 'vae embed (train)');
  const embedded = lastJsonLine(await run(embedTest, log('embed-test'), 'vae embed (test)'));
  const embedSeconds = seconds(t1);
  const knnArgv = [TORCH_PYTHON, KNN, '--train', train, '--test', test, '--k', opt.k];
  const knn = lastJsonLine(await run(['env', 'OMP_NUM_THREADS=2', ...knnArgv], log('knn'), 'knn.py'));
  return {
    latent,
    best_val_elbo: trained.best_val_elbo,
    train_seconds: trainSeconds,
    embed_seconds: embedSeconds,
    map: embedded.map,
    knn,
    commands: [trainArgv, embedTrain, embedTest, knnArgv].map((a) => a.join(' ')),
  };
}

const rows = [];
try {
  const t0 = Date.now();
  for (const latent of opt.latents.split(',').map(Number)) {
    const r = await one(latent);
    rows.push(r);
    console.log(
      `latent ${latent}: VAE means ${fmt(100 * r.knn.vae_means, 2)}%, PCA-${latent} ${fmt(100 * r.knn.pca, 2)}%` +
        `${r.knn.pixels === undefined ? '' : `, pixels ${fmt(100 * r.knn.pixels, 2)}%`} ` +
        `(train ${fmt(r.train_seconds, 0)} s, embed ${fmt(r.embed_seconds, 1)} s, val -ELBO ${fmt(r.best_val_elbo, 2)})`,
    );
  }
  console.log(`\n  ${opt.k}-NN test accuracy (${opt.refs} training references, all test images)`);
  console.log('  latent   VAE means   PCA (same d)   difference');
  for (const r of rows)
    console.log(
      `  ${String(r.latent).padStart(6)}   ${fmt(100 * r.knn.vae_means, 2).padStart(8)}%   ${fmt(100 * r.knn.pca, 2).padStart(11)}%   ${(r.knn.vae_means >= r.knn.pca ? '+' : '') + fmt(100 * (r.knn.vae_means - r.knn.pca), 2)} points`,
    );
  let all = {};
  if (existsSync(RESULTS)) all = JSON.parse(readFileSync(RESULTS, 'utf8'));
  const key = `e${opt.epochs}-k${opt.k}-refs${opt.refs}`;
  all[key] = {
    date: new Date().toISOString(),
    config: opt,
    cores: os.cpus().length,
    wall_s: seconds(t0),
    rows: Object.fromEntries(rows.map((r) => [`latent-${r.latent}`, r])),
  };
  writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS)} (${key}) in ${fmt(seconds(t0), 0)} s`);
} catch (e) {
  console.error(String(e?.message ?? e));
  opt.keep = true;
  process.exitCode = 1;
} finally {
  if (opt.keep) console.log(`files: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
