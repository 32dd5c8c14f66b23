// Choosing the one-class recipe without looking at the test set (issue 15). Every candidate recipe
// is trained per normal class c exactly as run.mjs trains it (`vae train --dataset fashion-mnist
// --classes c`), then scored on a TUNING set: the last 5000 Fashion-MNIST training images, which
// `vae train` holds out as its validation split and never trains on (c's among them are the run's
// own normal validation images; the nine other classes' are the anomalies). They are written as an
// IDX pair (tune/t10k-*: the 5000 images; tune/train-*: a 100-image stub the reader requires) and
// scored as a user would: `vae score --dataset DIR/train-images-idx3-ubyte --split test
// --normal-class c`. With `--test` the chosen recipe is scored on the real test split as well.
//
// Per recipe it prints the tuning AUROC x 100 per class and the mean, for one seed and for the
// ensemble of all seeds (the mean of the seeds' scores: same recipe, same units). --combo adds sums
// of scores standardised on the normal validation images (standardisedSum), as combine.ts does.
//
//   pnpm exec tsx --conditions=@vae/source bench/anomaly/tune.ts --config base --config scale=0.05 \
//     --seeds 1,2,3 [--score elbo,regret] [--jobs 2] [--test] [--dir /tmp/vae-anomaly-tune] [--tag T]
//
// A config is `base` or comma-separated key=value overrides of the base recipe (keys: scale,
// latent, hidden, epochs, arch). Runs and score tables stay in --dir, so a rerun reuses them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { auroc, standardisedSum } from '@vae/train-node';
import { fmt, oursArgv, run } from '../lib/peer.mjs';
import { markdownTable } from '../lib/results.mjs';
import { methodColumn, readScoreTable } from './score-table';

const FMNIST = '/usr/share/datasets/fashion-mnist';
const RESULTS = path.join(path.dirname(new URL(import.meta.url).pathname), 'tune-results.json');
/** run.mjs's Gaussian MLP recipe, the one the first table reports. */
const BASE = { arch: 'mlp', scale: '0.1', latent: '20', hidden: '400', epochs: '100' };
type Recipe = typeof BASE;

const { values: opt } = parseArgs({
  options: {
    config: { type: 'string', multiple: true, default: ['base'] },
    seeds: { type: 'string', default: '1' },
    classes: { type: 'string', default: '0,1,2,3,4,5,6,7,8,9' },
    score: { type: 'string', default: 'elbo' },
    combo: { type: 'string', multiple: true, default: [] },
    jobs: { type: 'string', default: '2' },
    test: { type: 'boolean', default: false },
    dir: { type: 'string', default: '/tmp/vae-anomaly-tune' },
    tag: { type: 'string' },
  },
});
const classes = opt.classes.split(',').map(Number);
const seeds = opt.seeds.split(',').map(Number);
const methods = opt.score.split(',');
const splits: readonly Split[] = opt.test ? ['tune', 'test'] : ['tune'];
type Split = 'tune' | 'test';

function recipeOf(config: string): Recipe {
  if (config === 'base') return { ...BASE };
  const r: Record<string, string> = { ...BASE };
  for (const kv of config.split(',')) {
    const [k, v] = kv.split('=');
    if (!k || v === undefined || !(k in BASE))
      throw new Error(`bad --config part ${kv} (keys: ${Object.keys(BASE)})`);
    r[k] = v;
  }
  return r as Recipe;
}

/** The tuning set as an IDX pair that `vae train --dataset` reads, its "test" split the 5000 images. */
function writeTuneSet(dir: string): string {
  const file = path.join(dir, 'train-images-idx3-ubyte');
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const raw = (n: string) => gunzipSync(readFileSync(path.join(FMNIST, n)));
  const images = raw('train-images-idx3-ubyte.gz').subarray(16);
  const labels = raw('train-labels-idx1-ubyte.gz').subarray(8);
  const head = (magic: number, dims: number[]) => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b.writeUInt32BE(magic, 0);
    dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
    return b;
  };
  const put = (name: string, magic: number, dims: number[], data: Uint8Array) =>
    writeFileSync(path.join(dir, name), Buffer.concat([head(magic, dims), data]));
  const from = labels.length - 5000;
  put('t10k-images-idx3-ubyte', 0x803, [5000, 28, 28], images.subarray(from * 784));
  put('t10k-labels-idx1-ubyte', 0x801, [5000], labels.subarray(from));
  put('train-labels-idx1-ubyte', 0x801, [100], labels.subarray(0, 100));
  put(path.basename(file), 0x803, [100, 28, 28], images.subarray(0, 100 * 784));
  return file;
}

const tuneSet = writeTuneSet(path.join(opt.dir, 'tune-set'));
const runDir = (config: string, seed: number, c: number) =>
  path.join(opt.dir, 'runs', config, `seed${seed}`, `class${c}`);
const table = (config: string, seed: number, c: number, split: Split | 'val') =>
  path.join(runDir(config, seed, c), `scores-${split}-${methods.join('+')}.csv`);

/** Trains one model and scores its splits; skips what an earlier call left complete. */
async function job(config: string, seed: number, c: number): Promise<void> {
  const r = recipeOf(config);
  const dir = runDir(config, seed, c);
  const done = path.join(dir, 'trained');
  if (!existsSync(done)) {
    await run(
      oursArgv(
        'train',
        '--dataset',
        'fashion-mnist',
        '--classes',
        String(c),
        '--likelihood',
        'gaussian',
        '--gaussian-scale',
        Number.isNaN(Number(r.scale)) ? r.scale : `fixed:${r.scale}`,
        '--model',
        r.arch,
        '--latent',
        r.latent,
        '--hidden',
        r.hidden,
        '--epochs',
        r.epochs,
        '--seed',
        String(seed),
        '--threads',
        '1',
        '--quiet',
        '--out',
        dir,
      ),
      `${dir}.train.log`,
    );
    writeFileSync(done, '');
  }
  for (const split of [...splits, 'val'] as const) {
    const out = table(config, seed, c, split);
    if (existsSync(out)) continue;
    const where = split === 'tune' ? ['--dataset', tuneSet, '--split', 'test'] : ['--split', split];
    await run(
      oursArgv(
        'score',
        '--run',
        dir,
        ...where,
        '--score',
        methods.join(','),
        '--iw',
        '0',
        '--threads',
        '1',
        '--quiet',
        '--out',
        out,
      ),
      `${out}.log`,
    );
  }
}

/** Runs the jobs, `--jobs` at a time. */
async function pool(tasks: (() => Promise<void>)[], n: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: n }, worker));
}

/** A part `config:method` (or `method` of the first config) of one class and split, seeds averaged. */
function part(spec: string, c: number, split: Split | 'val'): { values: Float64Array; labels: Float64Array } {
  const i = spec.lastIndexOf(':');
  const config = i < 0 ? opt.config![0]! : spec.slice(0, i);
  const method = i < 0 ? spec : spec.slice(i + 1);
  let sum: Float64Array | null = null;
  let t: Record<string, Float64Array> = {};
  for (const seed of seeds) {
    t = readScoreTable(table(config, seed, c, split));
    const col = methodColumn(t, method, `${config} seed ${seed} class ${c} ${split}`);
    sum = sum ?? new Float64Array(col.length);
    for (let k = 0; k < col.length; k++) sum[k]! += col[k]! / seeds.length;
  }
  return { values: sum!, labels: t.label! };
}

function comboAuroc(combo: string, c: number, split: Split): number {
  const specs = combo.split('+');
  const parts = specs.map((s) => part(s, c, split));
  // The run's validation split holds class c only (vae train --classes c): normal data.
  const val = specs.map((s) => part(s, c, 'val').values);
  const score =
    parts.length === 1
      ? parts[0]!.values
      : standardisedSum(
          parts.map((p) => p.values),
          val,
          specs,
        );
  return auroc(
    score,
    Uint8Array.from(parts[0]!.labels, (l) => (l === c ? 0 : 1)),
  );
}

const tasks = opt.config!.flatMap((config) =>
  seeds.flatMap((seed) => classes.map((c) => () => job(config, seed, c))),
);
const t0 = Date.now();
await pool(tasks, Number(opt.jobs));
console.log(`${tasks.length} models in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

const rows = [...opt.config!.flatMap((config) => methods.map((m) => `${config}:${m}`)), ...opt.combo!];
const results: Record<string, Record<string, Record<string, number>>> = {};
for (const split of splits) {
  results[split] = {};
  const body = rows.map((row) => {
    const per = classes.map((c) => comboAuroc(row, c, split));
    results[split]![row] = Object.fromEntries(classes.map((c, k) => [c, per[k]!]));
    const mean = per.reduce((a, b) => a + b, 0) / per.length;
    return [row, ...per.map((a) => fmt(a * 100, 1)), fmt(mean * 100, 2)];
  });
  console.log(`\n${split} AUROC x 100, seeds ${seeds.join(',')} (scores averaged over seeds)`);
  console.log(markdownTable(['score', ...classes.map(String), 'mean'], body));
}
if (opt.tag) {
  const all = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
  all[opt.tag] = { seeds, configs: opt.config, base: BASE, auroc: results };
  writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
}
