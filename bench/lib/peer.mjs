// Shared by the benchmark drivers that pit our `vae` CLI against a PyTorch peer
// (bench/train/run.mjs, bench/likelihoods/run.mjs): the commands, spawning with logs and timing,
// the OpenBLAS alternatives check and reading a run's metrics (peer-config.mjs checks what the
// torch process really loads).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OURS_CMD = process.env.OURS_CMD ?? 'node packages/train-node/bin/vae.mjs';
export const TORCH_PYTHON = process.env.TORCH_PYTHON ?? '/usr/bin/python3';
const TIME = '/usr/bin/time';

/** A driver's files, beside it: its PyTorch peer `script` and its `results` (results.json). */
export function driverFiles(driverUrl, script) {
  const dir = path.dirname(fileURLToPath(driverUrl));
  return { script: path.join(dir, script), results: path.join(dir, 'results.json') };
}

/** Median of numbers (mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The machine the figures come from, with its load when the run starts (the VM is shared). */
export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model,
    cores: cpus.length,
    node: process.version,
    platform: process.platform,
    loadavg_at_start: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/** A number fixed to d decimals, or '-' when absent. */
export const fmt = (x, d = 0) => (x == null ? '-' : Number(x).toFixed(d));

/** argv of our CLI with these arguments. */
export const oursArgv = (...args) => [...OURS_CMD.split(/\s+/).filter(Boolean), ...args];

/** The recipe flags both sides take: --epochs --batch --lr --seed. */
const recipeArgs = (cfg) => [
  '--epochs',
  String(cfg.epochs),
  '--batch',
  String(cfg.batch),
  '--lr',
  cfg.lr,
  '--seed',
  String(cfg.seed),
];

/**
 * `vae train` on Fashion-MNIST of the 784-400-20 MLP, or of `cfg.model` (e.g. 'conv') with
 * `cfg.hidden` (e.g. '32,64') when set; `model` flags go after --model, `extra` before --out.
 */
export const oursTrainArgv = (cfg, dir, { model = [], extra = [] } = {}) =>
  oursArgv(
    'train',
    '--dataset',
    'fashion-mnist',
    '--model',
    cfg.model ?? 'mlp',
    ...model,
    '--latent',
    '20',
    '--hidden',
    cfg.hidden ?? '400',
    ...recipeArgs(cfg),
    ...extra,
    '--out',
    dir,
  );

/** `vae eval --iw` of a run, on the first cfg.iwLimit test images when set. */
export function oursEvalArgv(cfg, dir) {
  const argv = oursArgv('eval', '--run', dir, '--iw', String(cfg.iw));
  if (cfg.iwLimit > 0) argv.push('--limit', String(cfg.iwLimit));
  return argv;
}

/** argv of a PyTorch peer script: its own flags first, then the recipe, --threads, --iw, --iw-limit, --out. */
export const torchArgv = (script, cfg, outFile, first = []) => [
  TORCH_PYTHON,
  script,
  ...first,
  ...recipeArgs(cfg),
  '--threads',
  String(cfg.threads),
  '--iw',
  String(cfg.iw),
  '--iw-limit',
  String(cfg.iwLimit),
  '--out',
  outFile,
];

/**
 * Runs argv in the repo root, writing its stdout and stderr to logFile; resolves to its stdout.
 * The error names `label` (when given) and argv, and quotes the end of the log. `wrapper` (say
 * `/usr/bin/time -v`) goes in front of argv when spawned.
 */
export function run(argv, logFile, label, wrapper = []) {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = [...wrapper, ...argv];
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let log = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      log += d;
    });
    child.stderr.on('data', (d) => {
      log += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      writeFileSync(logFile, log);
      const what = label ? `${label} failed` : 'failed';
      if (code !== 0) reject(new Error(`${what} (exit ${code}): ${argv.join(' ')}\n${log.slice(-3000)}`));
      else resolve(stdout);
    });
  });
}

/** Exits with 2 unless /usr/bin/time is there (for `timed`). */
export function requireTime() {
  if (!existsSync(TIME)) {
    console.error(`${TIME} is missing: apt-get install -y time`);
    process.exit(2);
  }
}

/** Runs argv under `/usr/bin/time -v`; returns { peakRssBytes, wallSeconds, stdout }. */
export async function timed(argv, label, logFile) {
  const timeFile = `${logFile}.time`;
  const stdout = await run(argv, logFile, label, [TIME, '-v', '-o', timeFile]);
  const t = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '';
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(t);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(t);
  const wallSeconds = wall ? wall[1].split(':').reduce((acc, p) => acc * 60 + Number(p), 0) : null;
  return { peakRssBytes: rss ? Number(rss[1]) * 1024 : null, wallSeconds, stdout };
}

/** The last line of a command's stdout, parsed as JSON (`vae eval` prints its result there). */
export const lastJsonLine = (stdout) => JSON.parse(stdout.trim().split('\n').at(-1));

/** A run's metrics.jsonl: its last summary line (or undefined) and its epoch lines. */
export function readMetrics(dir) {
  const lines = readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  return {
    summary: lines.findLast((l) => l.type === 'summary'),
    epochs: lines.filter((l) => l.type === 'epoch'),
  };
}

/**
 * BLAS check: torch loads libopenblas.so.0 directly; the pthread variant fights its OpenMP threads.
 * Prints the alternative in use and exits with 2 unless it is the OpenMP variant; returns it.
 */
export function requireOpenmpBlas() {
  const q = spawnSync('update-alternatives', ['--query', 'libopenblas.so.0-x86_64-linux-gnu'], {
    encoding: 'utf8',
  });
  const value = /^Value: (.*)$/m.exec(q.stdout ?? '')?.[1] ?? '(none)';
  console.log(`BLAS check: libopenblas.so.0 -> ${value}`);
  if (!value.includes('openblas-openmp')) {
    console.error(
      'refusing: pin the OpenMP OpenBLAS (see /work/shared/TOOLCHAIN.md, "Peers for benchmarks")',
    );
    process.exit(2);
  }
  return value;
}
