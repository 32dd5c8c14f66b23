// Where `vae eval --iw` spends its time: runs the same evaluation as the CLI (ELBO pass, then the
// importance-sampled log p(x)) in-process on onnxruntime-node with its profiler on, then prints
// the seconds of each phase (JSON) and onnxruntime's kernel time per op type and per node
// (train-node's summariseProfile).
//   cd bench && pnpm exec tsx --conditions=@vae/source eval/profile.ts RUN [--iw 1000] [--limit 200]
//       [--threads 2] [--no-profile] (timing only) [--chunk N] [--batch N] [--static] (the options of
//       importanceSampledLogLikelihood; by default its own blocks)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EVAL_SEED, elboPass, fold, importanceSampledLogLikelihood, key, mean } from '@vae/core';
import {
  formatProfile,
  loadRun,
  loadRunData,
  OrtBackend,
  profileFiles,
  splitInputs,
  summariseProfile,
} from '@vae/train-node';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    iw: { type: 'string', default: '1000' },
    limit: { type: 'string', default: '200' },
    threads: { type: 'string', default: '2' },
    chunk: { type: 'string' },
    batch: { type: 'string' },
    'no-profile': { type: 'boolean', default: false },
    static: { type: 'boolean', default: false },
  },
});
const runDir = positionals[0];
if (!runDir) throw new Error('usage: profile.ts RUN [--iw 1000] [--limit 200] [--threads 2]');

const run = loadRun(runDir);
const data = await loadRunData(run.config);
const inputs = splitInputs(data.test, run.config.data, 0, Number(opt.limit));
const profDir = mkdtempSync(path.join(os.tmpdir(), 'vae-eval-profile-'));
const backend = new OrtBackend({
  threads: Number(opt.threads),
  ...(opt['no-profile'] ? {} : { profile: path.join(profDir, 'eval') }),
});
const t0 = performance.now();
const pass = await elboPass(backend, run.vae, run.params, inputs, fold(key(EVAL_SEED), 1));
const t1 = performance.now();
const logpx = await importanceSampledLogLikelihood(
  backend,
  run.vae,
  run.params,
  inputs,
  fold(key(EVAL_SEED), 2),
  {
    k: Number(opt.iw),
    ...(opt.chunk ? { chunk: Number(opt.chunk) } : {}),
    ...(opt.batch ? { batch: Number(opt.batch) } : {}),
    staticBatch: opt.static,
  },
);
const t2 = performance.now();
await backend.dispose();
const n = pass.n;
console.log(
  JSON.stringify({
    n,
    iw: Number(opt.iw),
    elbo: -mean(pass.elbo),
    nll_iw: -mean(logpx),
    elbo_seconds: (t1 - t0) / 1e3,
    iw_seconds: (t2 - t1) / 1e3,
    images_per_s: n / ((t2 - t0) / 1e3),
  }),
);
// One file per session: the ELBO pass's, then the log-weight graph's.
if (!opt['no-profile'])
  for (const f of profileFiles(path.join(profDir, 'eval')))
    console.log(`\n${formatProfile(summariseProfile(f, 25), 25)}`);
rmSync(profDir, { recursive: true, force: true });
