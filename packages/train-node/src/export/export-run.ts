import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  amendManifest,
  type BundleManifest,
  createBundle,
  fold,
  Graph,
  type HostTensor,
  key,
} from '@vae/core';
import { OrtBackend } from '../backend/ort-backend';
import { writeFileAtomic } from '../checkpoint/atomic';
import { loadRunData, splitInputs } from '../data/load-data';
import { sliceRows } from '../eval/eval-graphs';
import { elboPass, mean } from '../eval/evaluate';
import { type LoadedRun, loadRun, runPaths } from '../run/run-dir';
import { TrainConfigError } from '../train/errors';
import { readMetrics } from '../train/metrics-log';
import { EVAL_SEED } from '../train/trainer';
import { pca2 } from './pca';

export interface ExportOptions {
  readonly run: string;
  /** Store weights as float16 (compute stays float32). */
  readonly fp16?: boolean;
  /**
   * Store MatMul weights as int8 with per-column scales, run as dynamically quantised integer
   * matmuls (about 1/4 of the bytes, ~2x faster decoding on onnxruntime-web). Not with `fp16`.
   */
  readonly int8?: boolean;
  /** Test examples for the parity check (default 256). */
  readonly parityExamples?: number;
  /** Encoded test examples in the latent map (default 2000). */
  readonly mapExamples?: number;
  readonly threads?: number;
}

/** An export's outcome: where it went, the manifest, and the parity measured on real test inputs. */
export interface ExportResult {
  readonly dir: string;
  readonly manifest: BundleManifest;
  readonly parity: { encoder: number; decoder: number; n: number };
  /**
   * int8 exports with a Bernoulli likelihood: mean over the parity examples of
   * |log p(x | z) float32 - int8| in nats (also `metrics.int8_logp_delta` in the manifest).
   */
  readonly int8LogpDelta?: number;
}

/**
 * Bernoulli log p(x | logits) per example: sum_d x_d l_d - softplus(l_d) (x in [0, 1]), for rows
 * of `d` values.
 */
export function bernoulliLogp(x: Float32Array, logits: Float32Array, d: number): Float64Array {
  const n = logits.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * d; j < (i + 1) * d; j++) {
      const l = logits[j]!;
      s += x[j]! * l - (Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))));
    }
    out[i] = s;
  }
  return out;
}

/** Exported graphs whose outputs differ from the training graph's beyond tolerance. */
export class ParityError extends Error {
  override name = 'ParityError';
}

const maxAbsDiff = (a: HostTensor, b: HostTensor) => {
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
};

/** The decoder forward of the training graph (parameters as inputs, as in training). */
function decoderGraph(run: LoadedRun) {
  const g = new Graph('train_forward_decoder');
  const params = run.vae.paramInputs(g);
  const z = g.input('z', ['N', run.vae.spec.latent]);
  const c = run.vae.spec.condition ? g.input('c', ['N', run.vae.spec.condition.size]) : undefined;
  return { graph: g, outputs: { params: run.vae.decodeParams(params, z, c) } };
}

/**
 * `vae export`: writes DIR/bundle (encoder.onnx, decoder.onnx, latent-map.bin, manifest.json).
 * Before anything is written, the exported graphs run on onnxruntime-node against the training
 * graph's forward on real test inputs; fp32 exports must agree to 1e-5 (max abs diff); fp16 and
 * int8 parity is reported, not held to it (int8 also reports `int8_logp_delta`). The folder
 * is swapped in whole, so an old bundle is replaced only by a complete new one.
 */
export async function exportRun(o: ExportOptions): Promise<ExportResult> {
  if (o.fp16 && o.int8)
    throw new TrainConfigError('--fp16 and --int8 are mutually exclusive: choose one weight storage type');
  const run = loadRun(o.run);
  const data = await loadRunData(run.config);
  const spec = run.vae.spec;
  const condSize = spec.condition?.size ?? 0;
  const mapN = Math.min(o.mapExamples ?? 2000, data.test.count);
  const inputs = splitInputs(data.test, run.config.data, condSize, mapN);
  const backend = new OrtBackend({ threads: o.threads, noPrepacking: true });
  try {
    const pass = await elboPass(backend, run.vae, run.params, inputs, fold(key(EVAL_SEED), 1));
    const L = spec.latent;
    const pca = L === 2 ? null : pca2(pass.loc, pass.n, L);
    const points = pca ? pca.projected : pass.loc;
    const labels = data.test.labels ? Array.from(data.test.labels.subarray(0, mapN)) : undefined;
    const metrics = readMetrics(runPaths(o.run).metrics);
    const last = [...metrics].reverse().find((m) => m.type === 'epoch');
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    const finalMetrics: Record<string, number> = {
      test_elbo: -mean(pass.elbo),
      ...(num(last?.val_elbo) !== undefined ? { val_elbo: num(last?.val_elbo)! } : {}),
      ...(num(last?.train_loss) !== undefined ? { train_loss: num(last?.train_loss)! } : {}),
      ...(num(last?.epoch) !== undefined ? { epochs: num(last?.epoch)! } : {}),
    };
    const meta = {
      recipe: run.config.recipe as unknown as Record<string, unknown>,
      metrics: finalMetrics,
      dtype: o.fp16 ? ('float16' as const) : o.int8 ? ('int8' as const) : ('float32' as const),
      binarized: run.config.data.binarize,
      ...(run.config.data.classNames ? { labels: run.config.data.classNames } : {}),
      latentMap: {
        points,
        ...(labels ? { labels } : {}),
        method: pca ? ('pca' as const) : ('identity' as const),
        ...(pca ? { basis: { mean: pca.mean, axes: pca.axes } } : {}),
      },
    };
    const bundle = await createBundle(run.vae, run.params, meta);
    // Parity: exported graphs vs the training graph's forward, on real test inputs.
    const n = Math.min(o.parityExamples ?? 256, pass.n);
    const rows = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, sliceRows(t, 0, n)]));
    const enc = await backend.load(bundle.files['encoder.onnx']!);
    const dec = await backend.load(bundle.files['decoder.onnx']!);
    const encOut = await enc.run(rows);
    const loc = { dtype: 'float32', shape: [n, L], data: pass.loc.subarray(0, n * L) } as HostTensor;
    const encoder = maxAbsDiff(encOut.loc!, loc);
    const zc: Record<string, HostTensor> = { z: encOut.loc!, ...(rows.c ? { c: rows.c } : {}) };
    const train = await backend.compile(`decoder:${JSON.stringify(spec)}`, () => decoderGraph(run));
    const want = await train.run({ ...run.params, ...zc });
    const got = await dec.run(zc);
    const decoder = maxAbsDiff(got.params!, want.params!);
    const worst = Math.max(encoder, decoder);
    // int8: the quality cost end to end, as a bundle user sees it: log p(x | z) with the training
    // graph's decoder at the float32 posterior mean vs the int8 decoder at the int8 encoder's mean.
    let int8LogpDelta: number | undefined;
    if (o.int8 && spec.likelihood.type === 'bernoulli') {
      const fp32Loc: Record<string, HostTensor> = { z: loc, ...(rows.c ? { c: rows.c } : {}) };
      const ref = await train.run({ ...run.params, ...fp32Loc });
      const d = (rows.x!.data as Float32Array).length / n;
      const x = rows.x!.data as Float32Array;
      const a = bernoulliLogp(x, ref.params!.data as Float32Array, d);
      const b = bernoulliLogp(x, got.params!.data as Float32Array, d);
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.abs(a[i]! - b[i]!);
      int8LogpDelta = s / n;
    }
    if (!o.fp16 && !o.int8 && !(worst <= 1e-5))
      throw new ParityError(
        `exported graphs disagree with the training graph: encoder ${encoder}, decoder ${decoder} (max abs diff; limit 1e-5). Nothing was written.`,
      );
    // Figures measured on the exported files go into the manifest; the graphs stay as checked.
    const final = amendManifest(bundle, {
      parity: { maxAbsDiff: worst, n, backend: 'onnxruntime-node' },
      ...(int8LogpDelta !== undefined ? { metrics: { int8_logp_delta: int8LogpDelta } } : {}),
    });
    const dir = runPaths(o.run).bundle;
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const [name, bytes] of Object.entries(final.files)) writeFileAtomic(join(tmp, name), bytes);
    const old = `${dir}.old-${process.pid}`;
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
    return {
      dir,
      manifest: final.manifest,
      parity: { encoder, decoder, n },
      ...(int8LogpDelta !== undefined ? { int8LogpDelta } : {}),
    };
  } finally {
    await backend.dispose();
  }
}
