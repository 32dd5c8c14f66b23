/** Tiny untrained run folders for command tests (random weights decode to something drawable). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { key, type MlpVAEOptions, mlpVAE } from '@vae/core';
import { saveParams } from '../checkpoint/checkpoint';
import { type RunConfig, runPaths, writeConfig } from '../run/run-dir';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Options of {@link makeTestRun}. */
export interface TestRunOptions {
  readonly conditional?: boolean;
  readonly prior?: MlpVAEOptions['prior'];
  readonly latent?: number;
  /** Weights seed. */
  readonly seed?: number;
}

/** Writes config.json + best.safetensors of a 784-16-latent MLP VAE on `mnist-default` into a temp dir. */
export function makeTestRun(opts: TestRunOptions = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vae-run-'));
  const latent = opts.latent ?? 4;
  const vae = mlpVAE({
    inputSize: 784,
    latent,
    hidden: [16],
    ...(opts.prior ? { prior: opts.prior } : {}),
    ...(opts.conditional ? { condition: { size: 10, labels: DIGITS } } : {}),
  });
  const config: RunConfig = {
    format: 'vae-run',
    version: 1,
    createdAt: new Date(0).toISOString(),
    model: vae.spec,
    recipe: {
      dataset: 'mnist-default',
      model: 'mlp',
      latent,
      hidden: [16],
      epochs: 1,
      batchSize: 32,
      lr: 1e-3,
      seed: 0,
      optimizer: 'adam',
      beta: 1,
      warmupEpochs: 0,
      freeBits: null,
      iwae: null,
      clip: null,
      conditional: opts.conditional ?? false,
      stepsPerRun: 1,
      patience: null,
      valCount: 100,
    },
    data: {
      shape: [784],
      image: { h: 28, w: 28, c: 1 },
      binarize: true,
      scale: 255,
      classNames: DIGITS,
      maskColumns: null,
    },
  };
  writeConfig(dir, config);
  saveParams(runPaths(dir).best, vae.init(key(opts.seed ?? 0)));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
