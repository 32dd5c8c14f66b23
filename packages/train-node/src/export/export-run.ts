import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type BundleManifest, createBundle, fold, Graph, type HostTensor, key } from '@vae/core';
import { OrtBackend } from '../backend/ort-backend';
import { writeFileAtomic } from '../checkpoint/atomic';
import { loadRunData, splitInputs } from '../data/load-data';
import { sliceRows } from '../eval/eval-graphs';
import { elboPass } from '../eval/evaluate';
import { type LoadedRun, loadRun, runPaths } from '../run/run-dir';
import { readMetrics } from '../train/metrics-log';
import { EVAL_SEED } from '../train/trainer';
import { pca2 } from './pca';

export interface ExportOptions {
  readonly run: string;
  /** Store weights as float16 (compute stays float32). */
  readonly fp16?: boolean;
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
 * graph's forward on real test inputs; fp32 exports must agree to 1e-5 (max abs diff). The folder
 * is swapped in whole, so an old bundle is replaced only by a complete new one.
 */
export async function exportRun(o: ExportOptions): Promise<ExportResult> {
  const run = loadRun(o.run);
  const data = await loadRunData(run.config);
  const spec = run.vae.spec;
  const condSize = spec.condition?.size ?? 0;
  const mapN = Math.min(o.mapExamples ?? 2000, data.test.count);
  const inputs = splitInputs(data.test, run.config.data, condSize, mapN);
  const backend = new OrtBackend({ threads: o.threads });
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
      test_elbo: -pass.elbo.reduce((s, v) => s + v, 0) / pass.n,
      ...(num(last?.val_elbo) !== undefined ? { val_elbo: num(last?.val_elbo)! } : {}),
      ...(num(last?.train_loss) !== undefined ? { train_loss: num(last?.train_loss)! } : {}),
      ...(num(last?.epoch) !== undefined ? { epochs: num(last?.epoch)! } : {}),
    };
    const meta = {
      recipe: run.config.recipe as unknown as Record<string, unknown>,
      metrics: finalMetrics,
      dtype: o.fp16 ? ('float16' as const) : ('float32' as const),
      binarized: run.config.data.binarize,
      ...(run.config.data.classNames ? { labels: run.config.data.classNames } : {}),
      latentMap: {
        points,
        ...(labels ? { labels } : {}),
        method: pca ? ('pca' as const) : ('identity' as const),
        ...(pca ? { basis: { mean: pca.mean, axes: pca.axes } } : {}),
      },
    };
    let bundle = await createBundle(run.vae, run.params, meta);
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
    if (!o.fp16 && !(worst <= 1e-5))
      throw new ParityError(
        `exported graphs disagree with the training graph: encoder ${encoder}, decoder ${decoder} (max abs diff; limit 1e-5). Nothing was written.`,
      );
    bundle = await createBundle(run.vae, run.params, {
      ...meta,
      createdAt: bundle.manifest.createdAt,
      parity: { maxAbsDiff: worst, n, backend: 'onnxruntime-node' },
    });
    const dir = runPaths(o.run).bundle;
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const [name, bytes] of Object.entries(bundle.files)) writeFileAtomic(join(tmp, name), bytes);
    const old = `${dir}.old-${process.pid}`;
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
    return {
      dir,
      manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')),
      parity: { encoder, decoder, n },
    };
  } finally {
    await backend.dispose();
  }
}
