/**
 * The tabular fixtures of the e2e suite, made with the `vae` CLI: a tiny penguins run and its bundle,
 * and what the CLI writes for it (the oracle the browser's rows are held to): `vae sample --csv`
 * (10 rows, seed 1: the playground's first batch) and `vae impute` of a one-row CSV with blanks
 * (its defaults, 100 draws and seed 1: the playground's imputation of that row).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The penguins bundle folder and the CLI's CSVs for it. */
    tabular: TabularFixtures;
  }
}

export interface TabularFixtures {
  bundle: string;
  /** `vae sample --csv --n 10 --seed 1`. */
  samples: string;
  /** One penguin with blank island, flipper length and body mass. */
  holes: string;
  /** `vae impute` of `holes`. */
  filled: string;
}

/** Rows the sampled-rows view draws per batch (and the CLI's --n). */
export const SAMPLED = 10;

/** Trains, exports, samples and imputes with the CLI (`run` spawns node with these arguments). */
export async function makeTabular(
  dir: string,
  run: (cmd: string, args: string[], cwd: string) => Promise<void>,
): Promise<TabularFixtures> {
  const cli = join(repoRoot, 'packages/train-node/bin/vae.mjs');
  const vae = (...args: string[]) => run(process.execPath, [cli, ...args, '--threads', '1'], repoRoot);
  const out = join(dir, 'run');
  // ~3 s: 60 epochs of 276 rows; enough for rows that look like penguins.
  await vae(
    'train',
    '--dataset',
    'penguins',
    '--model',
    'tabular',
    '--epochs',
    '60',
    '--batch',
    '32',
    '--lr',
    '0.003',
    '--quiet',
    '--out',
    out,
  );
  await vae('export', '--run', out);
  const f: TabularFixtures = {
    bundle: join(out, 'bundle'),
    samples: join(dir, 'samples.csv'),
    holes: join(dir, 'holes.csv'),
    filled: join(dir, 'filled.csv'),
  };
  await vae('sample', '--run', out, '--csv', f.samples, '--n', String(SAMPLED), '--seed', '1');
  writeFileSync(
    f.holes,
    'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\nAdelie,,39.1,18.7,,,female\n',
  );
  await vae('impute', '--run', out, '--csv', f.holes, '--out', f.filled);
  return f;
}
