// Small helpers of the IW-evaluation benchmark (bench/eval/run.mjs) that bench/lib/peer.mjs lacks.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * The torch peer's `chunk_elems` (decoder outputs per pass of torch_common.evaluate): 800000 puts
 * one image's 1000 samples in a pass, its fastest setting here (2026-12, 2 cores: 1.6e6 and the
 * default 4e6 were 5-35% slower), so the peer gets the same batching freedom as ours.
 */
export const TORCH_CHUNK_ELEMS = 800_000;

/** Median of numbers (mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** CPU model, cores, Node version and platform. */
export function machine() {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model, cores: cpus.length, node: process.version, platform: process.platform };
}

/** The onnxruntime-node version our CLI runs on (read from train-node's resolution of it). */
export function oursVersions(root) {
  const req = createRequire(path.join(root, 'packages/train-node/package.json'));
  const pkg = req.resolve('onnxruntime-node/package.json');
  return { onnxruntime_node: JSON.parse(readFileSync(pkg, 'utf8')).version };
}
