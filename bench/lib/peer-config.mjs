// What each side of a PyTorch comparison really runs on, so a ratio is only reported against a
// fair peer: the torch process's own report of its BLAS (the libraries it mapped, OpenBLAS's
// threading model), torch and OpenMP threads, and ours (onnxruntime-node version, threads).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { requireOpenmpBlas, root, TORCH_PYTHON } from './peer.mjs';

/**
 * The PyTorch peer's configuration as `script --probe --threads N` prints it (torch_common.py's
 * peer_config: torch version and threads, omp_max_threads, mapped BLAS/OpenMP libraries, and
 * OpenBLAS's config string and `parallel` = sequential | pthreads | openmp).
 */
export function probeTorch(script, threads) {
  const r = spawnSync(TORCH_PYTHON, [script, '--probe', '--threads', String(threads)], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`torch probe failed (exit ${r.status}): ${r.stderr?.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

/** Why a torch configuration is not a fair peer (see TOOLCHAIN.md's OpenBLAS trap), or null. */
export function torchProblem(peer, threads) {
  if (!peer) return 'the torch run reported no configuration';
  if (!peer.openblas)
    return `torch mapped no OpenBLAS (${peer.libraries.join(', ') || 'no BLAS'}): the reference BLAS is ~30x slower`;
  if (peer.openblas.parallel !== 'openmp')
    return `torch runs on the ${peer.openblas.parallel} OpenBLAS (${peer.openblas.path}), which fights its OpenMP threads`;
  if (peer.torch_threads !== threads) return `torch runs ${peer.torch_threads} threads, not ${threads}`;
  return null;
}

/** One line: torch version, threads, OpenMP threads, the BLAS it loaded and its build. */
export const describeTorch = (p) =>
  `torch ${p.torch}, ${p.torch_threads} threads (OpenMP max ${p.omp_max_threads ?? '-'}, ` +
  `OMP_NUM_THREADS ${p.omp_num_threads_env ?? 'unset'}), mkldnn ${p.mkldnn ? 'on' : 'off'}, ` +
  `BLAS ${p.openblas ? `${p.openblas.path} [${p.openblas.config}; ${p.openblas.parallel}, ${p.openblas.threads} threads]` : 'none'}`;

/** Our side: onnxruntime-node's version (as train-node resolves it), its intra-op threads, Node. */
export function oursConfig(threads) {
  const req = createRequire(path.join(root, 'packages/train-node/package.json'));
  return { onnxruntime_node: req('onnxruntime-node/package.json').version, threads, node: process.version };
}

/** One line for {@link oursConfig}. */
export const describeOurs = (o) =>
  `onnxruntime-node ${o.onnxruntime_node}, ${o.threads} intra-op threads, Node ${o.node}`;

/**
 * Refuses (exit 2) unless the PyTorch peer is fair: the BLAS alternative is the OpenMP build
 * (update-alternatives) and the torch process itself maps the OpenMP OpenBLAS and runs `threads`
 * threads. Prints both sides' configuration; returns { torch, ours }.
 */
export function requireFairPeers(script, threads) {
  const alternative = requireOpenmpBlas();
  const torch = { ...probeTorch(script, threads), blas_alternative: alternative };
  const ours = oursConfig(threads);
  console.log(`peer:  ${describeTorch(torch)}`);
  console.log(`ours:  ${describeOurs(ours)}`);
  const problem = torchProblem(torch, threads);
  if (problem) {
    console.error(
      `refusing to report a ratio: ${problem} (see /work/shared/TOOLCHAIN.md, "Peers for benchmarks")`,
    );
    process.exit(2);
  }
  return { torch, ours };
}

/** Trainable scalars in a run's safetensors file (e.g. best.safetensors): the sum of its tensors' sizes. */
export function safetensorsParamCount(file) {
  const buf = readFileSync(file);
  const header = JSON.parse(buf.subarray(8, 8 + Number(buf.readBigUInt64LE(0))).toString('utf8'));
  return Object.entries(header)
    .filter(([k]) => k !== '__metadata__')
    .reduce((n, [, t]) => n + t.shape.reduce((a, b) => a * b, 1), 0);
}
