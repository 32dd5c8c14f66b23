// What bench/browser/playground-cold.ts measures against: a real exported bundle (the main job's
// recipe, fewer epochs), the real playground build, and the playground's own server (serve.mjs, as
// `pnpm start` serves it: COOP/COEP/CORP, no-cache for the page and the bundle, immutable assets).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const appDir = join(repoRoot, 'apps', 'playground');
/** Git-ignored (`.vae-cache/`): the trained run is reused across benchmark runs. */
const runDir = join(repoRoot, 'bench', '.vae-cache', 'playground-cold', 'run');

function run(cmd: string, args: string[], cwd = repoRoot): void {
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
}

/**
 * The bundle folder of scripts/main.sh's recipe (mnist-default, MLP 784-400-16, batch 128, seed 1)
 * trained for 2 epochs instead of 30 (the graphs and file sizes are the same; only the weights
 * differ). Trains and exports once; later runs reuse it.
 */
export function ensureBundle(): string {
  const bundle = join(runDir, 'bundle');
  if (existsSync(join(bundle, 'manifest.json'))) return bundle;
  const vae = join(repoRoot, 'packages', 'train-node', 'bin', 'vae.mjs');
  console.error(`training the bundle into ${runDir}`);
  const recipe = ['--model', 'mlp', '--latent', '16', '--hidden', '400', '--batch', '128', '--lr', '1e-3'];
  run(process.execPath, [
    vae,
    'train',
    '--dataset',
    'mnist-default',
    ...recipe,
    '--epochs',
    '2',
    '--seed',
    '1',
    '--out',
    runDir,
    '--quiet',
  ]);
  run(process.execPath, [vae, 'export', '--run', runDir, '--force']);
  return bundle;
}

/** `vite build` of apps/playground into its dist/ (what serve.mjs serves). */
export function buildPlayground(): void {
  run(
    process.execPath,
    [join(appDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    appDir,
  );
}

/** The running playground server: its base URL and stop(). */
export interface Served {
  base: string;
  stop(): void;
}

/** Starts apps/playground/scripts/serve.mjs with `bundle` at /bundle/ on a free port. */
export function servePlayground(bundle: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    [
      join(appDir, 'scripts', 'serve.mjs'),
      '--bundle',
      bundle,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const stop = () => {
    if (child.exitCode === null && child.pid) process.kill(child.pid);
  };
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const { url } = JSON.parse(line) as { url: string };
      resolve({ base: url.replace(/\/$/, ''), stop });
    });
    child.on('exit', (code) => reject(new Error(`serve.mjs exited ${code} before printing its URL`)));
  });
}
