// Where our training step's time goes on a bench recipe: runs `vae train --profile` for a short
// epoch (the rest of the training split held out as validation) and prints the training session's
// profile (the one that runs the step Loop) by operator type and by node, Loop-body nodes included,
// in ms per step (@vae/train-node's summariseProfile). The profiler inflates small kernels: compare
// shares and large nodes, not the total, with unprofiled runs. Not a test.
//   pnpm exec tsx --conditions=@vae/source train/profile.ts [--model conv] [--hidden 32,64]
//     [--steps 60] [--threads 2] [--top 25] [--json OUT] [--keep]        (from bench/)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { profileFiles, summariseProfile } from '@vae/train-node';

const ROOT = path.resolve(import.meta.dirname, '../..');

const { values: opt } = parseArgs({
  options: {
    model: { type: 'string', default: 'conv' },
    hidden: { type: 'string' },
    steps: { type: 'string', default: '60' },
    threads: { type: 'string', default: '2' },
    top: { type: 'string', default: '25' },
    json: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const TRAIN_IMAGES = 60000; // Fashion-MNIST's training split; --val holds out the rest
const BATCH = 128;
const steps = Number(opt.steps);
const hidden = opt.hidden ?? (opt.model === 'conv' ? '32,64' : '400');

const work = mkdtempSync(path.join(os.tmpdir(), 'vae-profile-'));
try {
  const runDir = path.join(work, 'run');
  const prefix = path.join(work, 'p');
  const flags = ['--model', opt.model, '--latent', '20', '--hidden', hidden, '--epochs', '1'];
  const val = String(TRAIN_IMAGES - steps * BATCH);
  const argv = ['packages/train-node/bin/vae.mjs', 'train', '--dataset', 'fashion-mnist', ...flags];
  const more = ['--val', val, '--threads', opt.threads, '--seed', '1', '--quiet', '--out', runDir];
  const r = spawnSync(process.execPath, [...argv, ...more, '--profile', prefix], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vae train --profile failed (exit ${r.status}):\n${r.stderr}`);
  const metrics = readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  const done = JSON.parse([...metrics].reverse().find((l) => l.includes('"type":"summary"')) ?? '{}')
    .steps as number;
  // The training session is the one whose graph holds the step Loop.
  const file = profileFiles(prefix).find((f) => /"op_name" *: *"Loop"/.test(readFileSync(f, 'utf8')));
  if (!file) throw new Error(`no profile with a Loop in ${work}`);
  const s = summariseProfile(file, Number(opt.top));
  const per = (ms: number) => (ms / done).toFixed(3).padStart(8);
  console.log(
    `${opt.model} (hidden ${hidden}), ${done} steps, ${opt.threads} threads: ${per(s.runMs)} ms/step in ` +
      `session.run, ${per(s.kernelMs)} ms/step in kernels`,
  );
  console.log('\nby operator type (ms per step, share of kernel time)');
  for (const r of s.byOp.slice(0, Number(opt.top)))
    console.log(`  ${r.name.padEnd(18)} ${per(r.ms)}  ${(100 * r.share).toFixed(1).padStart(5)}%`);
  console.log('\nlargest nodes (ms per step, output shape)');
  for (const r of s.byNode)
    console.log(`  ${r.name.slice(0, 36).padEnd(36)} ${r.op.padEnd(14)} ${per(r.ms)}  ${r.shape}`);
  if (opt.json) writeFileSync(opt.json, `${JSON.stringify({ steps: done, ...s }, null, 2)}\n`);
} finally {
  if (opt.keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
