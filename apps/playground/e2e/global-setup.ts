/**
 * Builds the app and exports two tiny bundles (unconditional latent 16, conditional latent 2) once,
 * and writes the score fixtures: one small bundle per likelihood and prior the bundle format allows,
 * with core's iwaeBound on the interpreter for a batch (packages/core/src/testing/score-fixtures.ts),
 * and two untrained image bundles of other sizes: 32x32 RGB and 17x23 grey (image-fixtures.ts),
 * and a penguins tabular bundle with the CLI's sampled and imputed rows (tabular-fixtures.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestProject } from 'vitest/node';
import { appDir, repoRoot } from './paths';
import { makeTabular } from './tabular-fixtures';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bundle folders: trained 28x28 grey (plain, conditional), untrained 32x32 RGB and 17x23 grey. */
    bundles: { plain: string; conditional: string; rgb: string; grey: string };
    /** Folder of the score fixtures: cases.json and one bundle folder per case. */
    scoreFixtures: string;
  }
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${err.slice(-2000)}`)),
    );
  });
}

async function makeBundle(dir: string, extra: string[]): Promise<string> {
  const cli = join(repoRoot, 'packages/train-node/bin/vae.mjs');
  // Batch 32 takes 4x the steps of the default 128 at about the same cost: far better samples in ~8 s.
  const common = [
    '--dataset',
    'mnist-default',
    '--epochs',
    '2',
    '--batch',
    '32',
    '--hidden',
    '128',
    '--threads',
    '1',
    '--quiet',
  ];
  await run(process.execPath, [cli, 'train', ...common, ...extra, '--out', dir], repoRoot);
  await run(process.execPath, [cli, 'export', '--run', dir, '--threads', '1'], repoRoot);
  return join(dir, 'bundle');
}

export default async function setup(project: TestProject) {
  const tmp = mkdtempSync(join(tmpdir(), 'vae-pg-e2e-'));
  const vite = join(appDir, 'node_modules/.bin/vite');
  const fixtures = join(tmp, 'score-fixtures');
  // core's fixture scripts, from source (the @vae/source condition), through the playground's tsx
  // (its loader by path: vitest's module runner has no import.meta.resolve).
  const tsxLoader = pathToFileURL(join(appDir, 'node_modules/tsx/dist/loader.mjs')).href;
  const tsxNode = [process.execPath, '--conditions=@vae/source', '--import', tsxLoader];
  const images = join(tmp, 'image-fixtures');
  const core = (script: string, out: string) =>
    run(
      tsxNode[0]!,
      [...tsxNode.slice(1), join(repoRoot, 'packages/core/src/testing', script), out],
      repoRoot,
    );
  const [, plain, conditional, tabular] = await Promise.all([
    run(vite, ['build', '--logLevel', 'warn'], appDir),
    makeBundle(join(tmp, 'plain'), ['--latent', '16']),
    makeBundle(join(tmp, 'conditional'), ['--latent', '2', '--conditional']),
    makeTabular(join(tmp, 'tabular'), run),
    core('score-fixtures.ts', fixtures),
    core('image-fixtures.ts', images),
  ]);
  project.provide('bundles', {
    plain,
    conditional,
    rgb: join(images, 'rgb32'),
    grey: join(images, 'grey17x23'),
  });
  project.provide('scoreFixtures', fixtures);
  project.provide('tabular', tabular);
  return () => rmSync(tmp, { recursive: true, force: true });
}
