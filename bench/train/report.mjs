// Printing and saving for bench/train/run.mjs: one line per run, the medians, results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fmt, root } from '../lib/peer.mjs';

export const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** One run: samples/s, seconds, epoch losses (the two sides must learn alike), peak RSS. */
export function printRun(round, r) {
  console.log(
    `  round ${round} ${r.impl.padEnd(7)} ${fmt(r.samples_per_s).padStart(6)} samples/s  ` +
      `train ${fmt(r.train_seconds, 1)} s (epochs ${r.epoch_seconds.map((s) => fmt(s, 1)).join(', ')})  ` +
      `loss ${r.epoch_train_loss.map((l) => fmt(l, 2)).join(', ')}  ` +
      `peak RSS ${mib(r.peak_rss_bytes)}  wall ${fmt(r.wall_seconds, 1)} s`,
  );
}

/** Parameter counts of both sides; prints them and whether they agree (the same model). */
export function compareParams(ours, torch) {
  const same = ours === torch;
  console.log(
    `parameters: ours ${ours}, pytorch ${torch} (${same ? 'equal' : 'DIFFER: not the same model'})`,
  );
  return { ours, pytorch: torch, equal: same };
}

/** Writes `value` under `key` in `file` (other keys kept), in the repo's format. */
export function saveResults(file, key, value) {
  let all = {};
  if (existsSync(file)) {
    try {
      all = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      all = {};
    }
  }
  all[key] = value;
  const round = (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v);
  writeFileSync(file, `${JSON.stringify(all, round, 2)}\n`);
  // Keep the file in the repo's format (biome collapses short arrays); skipped if biome is absent.
  const biome = path.join(root, 'node_modules/.bin/biome');
  if (existsSync(biome)) spawnSync(biome, ['format', '--write', file], { cwd: root, stdio: 'ignore' });
  console.log(`\nwrote ${path.relative(process.cwd(), file)} (${key})`);
}
