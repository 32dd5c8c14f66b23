/**
 * The Node side of train-here.test.ts: the same recipe trained by @vae/train-node on
 * onnxruntime-node, in this process (per-step losses of the first calls) or through the `vae` CLI
 * (`vae train` + `vae export`, the bundle's test ELBO).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adam, mlpVAE } from '@vae/core';
import { loadImageData, type TrainOptions, train } from '@vae/train-node';
import { repoRoot } from './paths';

/** The recipe fields both sides take (the browser's `Recipe` of @vae/train-web, MLP only). */
export interface MlpRecipe {
  model: 'mlp';
  latent: number;
  hidden: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  stepsPerRun: number;
}

/**
 * Per-step losses of the first `steps` steps of `vae train --dataset mnist-default` with this
 * recipe, from train-node's `train()` in this process (the model and optimizer `vae train` builds:
 * Bernoulli MLP, standard-normal prior, Adam without weight decay; the CLI's split, 1000 validation
 * examples held out of the 8000).
 */
export async function nodeStepLosses(r: MlpRecipe, steps: number, threads = 1): Promise<number[]> {
  const data = await loadImageData('mnist-default', 1000);
  const vae = mlpVAE({
    inputSize: 784,
    latent: r.latent,
    hidden: r.hidden,
    likelihood: { type: 'bernoulli' },
    prior: { type: 'standard-normal' },
  });
  const losses: number[] = [];
  const stop = new AbortController();
  const options = {
    vae,
    optimizer: adam({ lr: r.learningRate, weightDecay: 0 }),
    epochs: r.epochs,
    batchSize: r.batchSize,
    seed: r.seed,
    stepsPerRun: r.stepsPerRun,
    train: data.train,
    feed: { shape: [...vae.spec.dataShape], binarize: true, scale: 255, conditionSize: 0, maskColumns: null },
    threads,
    signal: stop.signal,
    // core's per-call hook (TrainLoopOptions.onCall): the call's per-step losses.
    onCall: (call: { loss: Float32Array }) => {
      losses.push(...call.loss);
      if (losses.length >= steps) stop.abort();
    },
  };
  await train(options as TrainOptions);
  return losses.slice(0, steps);
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const cli = join(repoRoot, 'packages/train-node/bin/vae.mjs');
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`vae ${args.join(' ')} exited ${code}\n${out.slice(-2000)}`)),
    );
  });
}

/** `vae train` + `vae export` of the recipe on the embedded digits; the bundle's manifest. */
export async function cliBundle(r: MlpRecipe, dir: string, threads = 2): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  await run([
    'train',
    ...['--dataset', 'mnist-default', '--model', 'mlp', '--latent', String(r.latent)],
    ...['--hidden', r.hidden.join(','), '--epochs', String(r.epochs), '--batch', String(r.batchSize)],
    ...['--lr', String(r.learningRate), '--seed', String(r.seed), '--threads', String(threads)],
    ...['--out', dir, '--quiet'],
  ]);
  const trained = performance.now() - t0;
  await run(['export', '--run', dir, '--threads', String(threads)]);
  const manifest = JSON.parse(readFileSync(join(dir, 'bundle', 'manifest.json'), 'utf8'));
  console.log(
    `node: vae train ${(trained / 1000).toFixed(1)} s, + export ${((performance.now() - t0 - trained) / 1000).toFixed(1)} s`,
  );
  return manifest;
}
