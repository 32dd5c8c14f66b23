import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  adam,
  EVAL_SEED,
  fold,
  Graph,
  GraphNoise,
  type HostTensor,
  interpret,
  key,
  mlpVAE,
  normal,
  runKeys,
  sgd,
  stepNoiseFeeds,
  VAE,
  validationInputs,
  validationPass,
} from '@vae/core';
import { createDataset, dataKey, Feeder } from '@vae/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import { OrtBackend } from '../backend/ort-backend';
import { loadRunData, splitInputs } from '../data/load-data';
import { loadRun, runPaths } from '../run/run-dir';
import { freshRunDir, tinyTrainOptions } from '../run/test-helpers';
import { trainCommand } from '../run/train-command';
import type { ProgressEvent } from './train-options';
import { train } from './trainer';

// Validation of a denoising VAE (`vae train --denoise`) scores what its training optimises: the
// ELBO of the clean x with the encoder fed x~, corrupted once with a fixed key. Plain runs keep
// the clean-input pass they always had.

const backend = new OrtBackend({ threads: 1 });
afterAll(() => backend.dispose());

const D = 16;
const SEED = 3;
const toy = (n: number, salt: number) =>
  createDataset({
    name: 'toy',
    dtype: 'float32',
    data: Float32Array.from({ length: n * D }, (_, i) => ((i * 7919 + salt) % 13) / 13),
    exampleShape: [D],
  });
const feed = { shape: [D], binarize: false as const, scale: 1, conditionSize: 0, maskColumns: null };
const val = toy(40, 5);
const plainVae = mlpVAE({ inputSize: D, latent: 2, hidden: [8] });
const maskVae = new VAE({ ...plainVae.spec, denoise: { type: 'mask', rate: 0.5 } });
const common = {
  optimizer: adam({ lr: 1e-2 }),
  train: toy(64, 0),
  val,
  batchSize: 16,
  seed: SEED,
  stepsPerRun: 2,
  feed,
  backend,
};
/** The validation split as the trainer feeds it, before any corruption. */
const cleanVal = () =>
  new Feeder(val, { ...feed, key: runKeys(SEED).binarize }).all(0, val.count, dataKey(EVAL_SEED));
/** The validation noise key (trainer.ts, `endEpoch`). */
const VAL_KEY = fold(key(EVAL_SEED), 0);
const epochLines = (dir: string) =>
  readFileSync(runPaths(dir).metrics, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.type === 'epoch');
/** Collects each epoch's validation -ELBO as `train` reports it. */
const recorder = () => {
  const vals: number[] = [];
  const onProgress = (p: ProgressEvent) => {
    if (p.epochEnd && p.valElbo !== undefined) vals.push(p.valElbo);
  };
  return { vals, onProgress };
};

describe('validation of a plain run', () => {
  it('is the clean-input pass it always was: same numbers, same best epoch', async () => {
    const { vals, onProgress } = recorder();
    const outDir = mkdtempSync(join(tmpdir(), 'val-plain-'));
    // Three epochs, one call each, so each epoch's weights are at hand.
    let r = await train({ ...common, vae: plainVae, epochs: 1, outDir, onProgress });
    const weights = [r.params];
    for (const epochs of [2, 3]) {
      const resumeFrom = { params: r.params, state: r.state, progress: r.progress };
      r = await train({ ...common, vae: plainVae, epochs, outDir, resumeFrom, onProgress });
      weights.push(r.params);
    }
    // The old path: the clean validation inputs, the plain ELBO graph, the fixed noise key.
    const old: number[] = [];
    for (const p of weights)
      old.push(-(await validationPass(backend, plainVae, p, cleanVal(), VAL_KEY)).elbo);
    expect(vals).toEqual(old);
    expect(r.progress.bestEpoch).toBe(old.indexOf(Math.min(...old)) + 1);
    expect(r.progress.bestValElbo).toBe(-Math.min(...old));
    // Nothing is added for a plain model: the same inputs object, the same metrics fields.
    const inputs = cleanVal();
    expect(await validationInputs(backend, plainVae, inputs, runKeys(SEED).valCorruption)).toBe(inputs);
    const fields = ['type', 'epoch', 'step', 'train_loss', 'train_recon', 'train_kl', 'beta'];
    const valFields = ['val_elbo', 'val_recon', 'val_kl', 'samples_per_s', 'seconds'];
    for (const l of epochLines(outDir)) expect(Object.keys(l)).toEqual([...fields, ...valFields]);
  });
});

describe('validation of a denoising run', () => {
  it('is the ELBO of x with the encoder fed x~ from a fixed key, the same every epoch', async () => {
    const { vals, onProgress } = recorder();
    const outDir = mkdtempSync(join(tmpdir(), 'val-denoise-'));
    // lr 0: the weights stay the initial ones, so two epochs must score the same.
    const r = await train({
      ...common,
      vae: maskVae,
      optimizer: sgd({ lr: 0 }),
      epochs: 2,
      outDir,
      onProgress,
    });
    const init = maskVae.init(runKeys(SEED).init);
    for (const n of Object.keys(init))
      expect(Array.from(r.params[n]!.data as Float32Array), n).toEqual(
        Array.from(init[n]!.data as Float32Array),
      );
    expect(vals).toHaveLength(2);
    expect(vals[1]).toBe(vals[0]);
    expect(epochLines(outDir).map((l) => l.val_denoise)).toEqual(['mask:0.5', 'mask:0.5']);

    // Independently: the training step's corruption (vae.corrupt on a noise input) and loss, on the
    // reference interpreter, fed the validation key's draws: x~'s uniforms from the run's
    // `valCorruption` key, example i from fold(key, i); eps as the validation pass draws it.
    const x = cleanVal().x!;
    const n = x.shape[0]!;
    const g = new Graph('reference');
    const params = maskVae.paramInputs(g);
    const noise = new GraphNoise(g);
    const batch = maskVae.corrupt({ x: g.input('x', [n, D]) }, noise);
    const elbo = maskVae.loss(params, batch, { noise }).elbo;
    const [u, eps] = noise.draws as [(typeof noise.draws)[0], (typeof noise.draws)[0]];
    expect([u.kind, eps.kind]).toEqual(['uniform', 'normal']);
    const draw = { name: 'u', kind: 'uniform' as const, shape: [D] };
    const epsSize = (eps.shape as number[]).reduce((a, d) => a * d, 1);
    const feeds: Record<string, HostTensor> = {
      ...init,
      x,
      [u.name]: { ...stepNoiseFeeds([draw], runKeys(SEED).valCorruption, 0, n).u!, shape: [n, D] },
      // elboPass: batch 0's noise key is fold(VAL_KEY, 0), its eps the first draw of that.
      [eps.name]: {
        dtype: 'float32',
        shape: eps.shape as number[],
        data: normal(fold(fold(VAL_KEY, 0), 0), epsSize),
      },
    };
    const [ref] = interpret(g, [elbo], feeds);
    const want = -Array.from(ref!.data as Float32Array).reduce((a, v) => a + v, 0) / n;
    expect(Math.abs(vals[0]! - want)).toBeLessThan(1e-5 * Math.abs(want));

    // The corruption matters: the clean-input figure (what validation scored before) differs.
    const clean = -(await validationPass(backend, maskVae, init, cleanVal(), VAL_KEY)).elbo;
    expect(Math.abs(clean - want)).toBeGreaterThan(1e-4 * Math.abs(want));
  });

  it('of a mask:0.5 run is on the training loss’s scale and picks a sane best epoch', {
    timeout: 60_000,
  }, async () => {
    const out = freshRunDir('vae-val-denoise-');
    // mnist-default (7000 / 1000), Gaussian likelihood with sigma 0.1: clean inputs are far off.
    const extra = { epochs: 3, likelihood: 'gaussian', gaussianScale: 'fixed:0.1', denoise: 'mask:0.5' };
    const r = await trainCommand(tinyTrainOptions(out, extra));
    const lines = epochLines(out);
    const valNeg = lines.map((l) => l.val_elbo as number);
    const trainLoss = lines.map((l) => l.train_loss as number);
    // Training improves, and so does the figure validation reports: the last epoch is the best.
    expect(valNeg[2]!).toBeLessThan(valNeg[1]!);
    expect(valNeg[1]!).toBeLessThan(valNeg[0]!);
    expect(r.progress.bestEpoch).toBe(3);
    expect(Math.abs(valNeg[2]! - trainLoss[2]!)).toBeLessThan(0.25 * Math.abs(trainLoss[2]!));
    // The same figure from the run's files, and the clean-input one for contrast.
    const run = loadRun(out);
    const inputs = splitInputs((await loadRunData(run.config)).val, run.config.data, 0);
    const noisy = await validationInputs(backend, run.vae, inputs, runKeys(1).valCorruption);
    const denoising = -(await validationPass(backend, run.vae, run.params, noisy, VAL_KEY)).elbo;
    const clean = -(await validationPass(backend, run.vae, run.params, inputs, VAL_KEY)).elbo;
    expect(denoising).toBe(valNeg[2]);
    // (Measured: train loss 1083, denoising 909, clean inputs 2486: off the training scale.)
    expect(Math.abs(clean - trainLoss[2]!)).toBeGreaterThan(2 * Math.abs(denoising - trainLoss[2]!));
  });
});
