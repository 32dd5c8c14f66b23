#!/usr/bin/env node
// Time-series VAEs against two baselines (issue 16): on a real series from the vega-datasets npm
// package, inject labelled anomalies into the test period (inject.py, seed 1), train the series VAE
// (`vae train --series`), and report
//   - test NLL per time step: `vae eval` (importance-sampled, k = --iw) of the run trained on the
//     CLEAN file, on its clean test windows; the baselines' on the same clean test period;
//   - time-step AUROC/AUPRC without point-adjust: `vae score --anomaly-labels` of the run trained on
//     the INJECTED file (only its test period differs, so it trains on the same windows, seed and
//     recipe: the script checks that both runs' best weights are the same bytes).
// Baselines (baselines.py): probabilistic PCA on windows, and a seasonal AR residual model.
// Prints one table and writes bench/series/results.json. Not a test.
//
//   node bench/series/run.mjs                       hourly normals, conv1d and gru (~10 min, 2 cores)
//   node bench/series/run.mjs --data daily --models conv1d
//   node bench/series/run.mjs --epochs 2 --iw 10 --tag check    a pipeline check
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { driverFiles, fmt, lastJsonLine, oursArgv, root, run, TORCH_PYTHON } from '../lib/peer.mjs';

const { results: RESULTS } = driverFiles(import.meta.url, 'baselines.py');
const here = path.dirname(RESULTS);
const DATA_DIR = path.join(root, 'bench/node_modules/vega-datasets/data');

/**
 * The series: file, columns, the AR's season, the window, and inject.py's placement (all inside the
 * test period: the last 20% of the steps; the 10% before it validates).
 */
const DATA = {
  hourly: {
    file: 'seattle-weather-hourly-normals.csv',
    columns: 'pressure,temperature,wind',
    season: 24,
    window: 48,
    inject: { each: 4, length: 24, gap: 48 },
  },
  daily: {
    file: 'seattle-weather.csv',
    columns: 'temp_max,temp_min,wind',
    season: 0,
    window: 28,
    inject: { each: 2, length: 10, gap: 20 },
  },
};
/** `vae train` flags per model (besides the data's). */
const MODELS = {
  conv1d: ['--model', 'conv1d', '--hidden', '32,64', '--latent', '8'],
  gru: ['--model', 'gru', '--hidden', '32', '--latent', '8'],
};

const { values: opt } = parseArgs({
  options: {
    data: { type: 'string', default: 'hourly' },
    models: { type: 'string', default: 'conv1d,gru' },
    epochs: { type: 'string', default: '30' },
    'gru-epochs': { type: 'string', default: '8' },
    stride: { type: 'string', default: '1' },
    'gru-stride': { type: 'string', default: '4' },
    iw: { type: 'string', default: '100' },
    'gaussian-scale': { type: 'string', default: 'shared' },
    threads: { type: 'string', default: '2' },
    tag: { type: 'string', default: 'default' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(
    'usage: node bench/series/run.mjs [--data hourly|daily] [--models conv1d,gru] [--epochs 30] [--gru-epochs 8]\n' +
      '  [--stride 1] [--gru-stride 4] [--iw 100] [--gaussian-scale shared|per-pixel] [--threads 2] [--tag NAME]',
  );
  process.exit(0);
}
const d = DATA[opt.data];
if (!d) throw new Error(`--data must be ${Object.keys(DATA).join(' or ')}`);
const models = opt.models.split(',');
const work = mkdtempSync(path.join(os.tmpdir(), 'vae-series-'));
const at = (f) => path.join(work, f);
const py = (script, ...args) => [TORCH_PYTHON, path.join(here, script), ...args];
const t0 = performance.now();
const log = (m) => console.error(`[${((performance.now() - t0) / 1000).toFixed(0)}s] ${m}`);

copyFileSync(path.join(DATA_DIR, d.file), at('clean.csv'));
const injected = await run(
  py(
    'inject.py',
    at('clean.csv'),
    '--columns',
    d.columns,
    '--out',
    at('injected.csv'),
    '--labels',
    at('labels.csv'),
    '--seed',
    '1',
    '--each',
    String(d.inject.each),
    '--length',
    String(d.inject.length),
    '--gap',
    String(d.inject.gap),
  ),
  at('inject.log'),
  'inject.py',
);
log(injected.trim());

const rows = {};
for (const m of models) {
  const gru = m === 'gru';
  const train = (csv, out) =>
    run(
      oursArgv(
        'train',
        '--dataset',
        csv,
        '--series',
        d.columns,
        '--window',
        String(d.window),
        '--stride',
        gru ? opt['gru-stride'] : opt.stride,
        ...MODELS[m],
        '--gaussian-scale',
        opt['gaussian-scale'],
        '--epochs',
        gru ? opt['gru-epochs'] : opt.epochs,
        '--batch',
        '64',
        '--lr',
        '2e-3',
        '--seed',
        '1',
        '--threads',
        opt.threads,
        '--out',
        out,
      ),
      `${out}.log`,
      `train ${m}`,
    ).then(lastJsonLine);
  const tr = await train(at('clean.csv'), at(`${m}-clean`));
  log(`${m}: trained on the clean file, ${tr.epochs} epochs, ${tr.samples_per_s} windows/s`);
  await train(at('injected.csv'), at(`${m}-injected`));
  const same = readFileSync(at(`${m}-clean/best.safetensors`)).equals(
    readFileSync(at(`${m}-injected/best.safetensors`)),
  );
  log(`${m}: trained on the injected file; same weights as the clean run: ${same}`);
  const ev = lastJsonLine(
    await run(
      oursArgv('eval', '--run', at(`${m}-clean`), '--iw', opt.iw, '--threads', opt.threads, '--quiet'),
      at(`${m}-eval.log`),
      `eval ${m}`,
    ),
  );
  const sc = lastJsonLine(
    await run(
      oursArgv(
        'score',
        '--run',
        at(`${m}-injected`),
        '--out',
        at(`${m}-steps.csv`),
        '--windows-out',
        at(`${m}-windows.csv`),
        '--anomaly-labels',
        at('labels.csv'),
        '--plot',
        at(`${m}-score.png`),
        '--threads',
        opt.threads,
        '--quiet',
      ),
      at(`${m}-score.log`),
      `score ${m}`,
    ),
  );
  log(`${m}: evaluated and scored; plot ${at(`${m}-score.png`)}`);
  rows[m] = {
    nll_per_step: ev.series.nll_iw_per_step,
    elbo_per_step: ev.series.elbo_per_step,
    kl_per_step: ev.series.kl_per_step,
    active_units: ev.active_units,
    test_windows: ev.n,
    auroc: sc.report.auroc,
    auprc: sc.report.auprc,
    threshold: sc.threshold,
    tpr: sc.report.tpr,
    fpr: sc.report.fpr,
    epochs: tr.epochs,
    windows_per_s: tr.samples_per_s,
    same_weights_clean_and_injected: same,
    plot: at(`${m}-score.png`),
  };
}
const base = lastJsonLine(
  await run(
    py(
      'baselines.py',
      '--clean',
      at('clean.csv'),
      '--injected',
      at('injected.csv'),
      '--labels',
      at('labels.csv'),
      '--columns',
      d.columns,
      '--window',
      String(d.window),
      '--season',
      String(d.season),
    ),
    at('baselines.log'),
    'baselines.py',
  ),
);
rows.pca = { nll_per_step: base.pca_nll_per_step, auroc: base.pca_auroc, k: base.pca_k };
rows.ar = { nll_per_step: base.ar_nll_per_step, auroc: base.ar_auroc };

console.log(
  `\n${d.file} (${base.steps} steps; columns ${d.columns}; test steps ${base.val_end}..${base.steps - 1}, ${base.anomalous_steps} of ${base.test_steps} anomalous; window ${d.window})`,
);
console.log('method   NLL/step (nats, standardised, clean test)   time-step AUROC (injected test)');
for (const [m, r] of Object.entries(rows))
  console.log(
    `${m.padEnd(8)} ${fmt(r.nll_per_step, 3).padStart(10)}                                   ${fmt(r.auroc, 4)}`,
  );
const seconds = (performance.now() - t0) / 1000;
console.log(`total ${seconds.toFixed(0)} s; files in ${work}`);

const all = JSON.parse(
  (() => {
    try {
      return readFileSync(RESULTS, 'utf8');
    } catch {
      return '{}';
    }
  })(),
);
all[`${opt.tag}-${opt.data}`] = {
  date: new Date().toISOString(),
  data: { ...d, steps: base.steps, val_end: base.val_end, train_end: base.train_end },
  anomalous_steps: base.anomalous_steps,
  test_steps: base.test_steps,
  settings: {
    epochs: opt.epochs,
    gru_epochs: opt['gru-epochs'],
    stride: opt.stride,
    gru_stride: opt['gru-stride'],
    iw: opt.iw,
    gaussian_scale: opt['gaussian-scale'],
  },
  methods: rows,
  seconds,
  cores: os.availableParallelism(),
};
writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
