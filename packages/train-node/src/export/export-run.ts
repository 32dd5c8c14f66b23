import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  amendManifest,
  type BundleManifest,
  bundleElboPass,
  bundleRunner,
  createBundle,
  EVAL_SEED,
  elboPass,
  exportParity,
  fold,
  type HostTensor,
  key,
  latentMapMeta,
  mean,
  sliceRows,
  TEST_SCORE_EXAMPLES,
  TrainConfigError,
  testScoreSummary,
} from '@vae/core';
import type { Device } from '../backend/device';
import { OrtBackend, requireDevice } from '../backend/ort-backend';
import { writeFileAtomic } from '../checkpoint/atomic';
import { makeDirs, removeEmptyDirs } from '../checkpoint/make-dirs';
import { loadRunData, splitInputs } from '../data/load-data';
import { bundleTabularColumns } from '../data/tabular-columns';
import { tabularState } from '../data/tabular-data';
import { isUserDataset } from '../data/user-data';
import { type LoadedRun, loadRun, type Recipe, RunError, runPaths } from '../run/run-dir';
import { acquireRunLock } from '../run/run-lock';
import { readMetrics } from '../train/metrics-log';
import { checkTextStorage, decoderExtraFeeds, sequenceMeta } from './sequence-meta';

export interface ExportOptions {
  readonly run: string;
  /** The bundle folder to write (default `<run>/bundle`). */
  readonly out?: string;
  /**
   * Replace a bundle folder that already holds files. Without it, export refuses
   * ({@link BundleExistsError}) and leaves the folder as it is. Even with it, only a bundle folder
   * (one with a manifest.json) or an empty one is replaced, never another folder.
   */
  readonly force?: boolean;
  /** Store weights as float16 (compute stays float32). */
  readonly fp16?: boolean;
  /**
   * Store MatMul weights as 8-bit levels with per-column scales, run as dynamically quantised
   * integer matmuls that are exact on every CPU (about 1/4 of the bytes, ~2x faster decoding on
   * onnxruntime-web). Not with `fp16`.
   */
  readonly int8?: boolean;
  /** Test examples for the parity check (default 256). */
  readonly parityExamples?: number;
  /** Encoded test examples in the latent map (default 2000). */
  readonly mapExamples?: number;
  /**
   * Test examples scored for the manifest's `testScores` (image bundles only; default 2000, 0: none):
   * the first ones of the split, on the playground's measure (./test-scores.ts).
   */
  readonly testScores?: number;
  readonly threads?: number;
  /**
   * onnxruntime-node's execution provider for the parity check and the figures (default cpu);
   * checked before the run is read.
   */
  readonly device?: Device;
}

/** An export's outcome: where it went, the manifest, and the parity measured on real test inputs. */
export interface ExportResult {
  readonly dir: string;
  readonly manifest: BundleManifest;
  readonly parity: { encoder: number; decoder: number; n: number };
  /**
   * int8 exports: mean over the parity examples of |log p(x | z) float32 - int8| in nats, both
   * computed by the bundle's own score graph (any likelihood; also `metrics.int8_logp_delta`).
   */
  readonly int8LogpDelta?: number;
}

/** Exported graphs whose outputs differ from the training graph's beyond tolerance. */
export class ParityError extends Error {
  override name = 'ParityError';
}

/** The bundle folder export was asked to write already holds files (and `force` was not given). */
export class BundleExistsError extends RunError {
  override name = 'BundleExistsError';
}

/** Throws unless `dir` may receive a new bundle: absent, empty, or (with `force`) a bundle folder. */
function checkTarget(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory())
    throw new BundleExistsError(`export: ${dir} is a file, not a bundle folder: choose another --out DIR`);
  const entries = readdirSync(dir);
  if (entries.length === 0) return;
  if (!force)
    throw new BundleExistsError(
      `export: ${dir} already holds a bundle (or other files): pass --force to replace it, or --out DIR`,
    );
  if (!entries.includes('manifest.json'))
    throw new BundleExistsError(
      `export: ${dir} holds files but no manifest.json: not a bundle folder, so not replaced even with --force; choose another --out DIR`,
    );
}

/**
 * Writes `files` into `dir` whole: into a temporary sibling first, then swapped in by rename. An old
 * bundle is moved aside only once the new one is complete, and put back if the swap fails.
 */
function writeBundle(dir: string, files: Record<string, Uint8Array>, force: boolean): void {
  const created = makeDirs(dirname(dir));
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp);
    for (const [name, bytes] of Object.entries(files)) writeFileAtomic(join(tmp, name), bytes);
    checkTarget(dir, force); // again: something may have appeared there while the bundle was built
    const had = existsSync(dir);
    if (had) renameSync(dir, old);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (had) renameSync(old, dir);
      throw e;
    }
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    removeEmptyDirs(created); // the parents this export made, so a failed --out a/b leaves nothing
    throw e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * `vae export`: writes a bundle (encoder.onnx, decoder.onnx, latent-map.bin, manifest.json) into
 * `out` (default DIR/bundle). Before anything is written, the exported graphs run on
 * onnxruntime-node against the training graph's forward on real test inputs; fp32 exports must
 * agree to 1e-5 (max abs diff); fp16 and int8 parity is reported, not held to it (int8 also reports
 * `int8_logp_delta`).
 *
 * Manifest metrics: `test_elbo` (-ELBO, nats per example, on the first `mapExamples` test examples)
 * is measured on the bundle as written: for fp16 and int8 with the bundle's own files (float16
 * weights; quantised weights and activations), and `test_elbo_float32` then gives the float32
 * model's figure on the same examples and noise. `val_elbo`, `train_loss` and `epochs` come from
 * training (float32). Image bundles also get `testScores`: the first `testScores` test examples'
 * −log p(x) on the playground's measure, by the bundle's own graphs (./test-scores.ts).
 *
 * Series runs write `data.series` (columns, window, stride, the training period's standardisation);
 * text runs write the decoding graph as decoder.onnx and `data.text` (the vocabulary), no probability
 * graphs, and their decoder's parity is on greedy ids (float32 only: `--fp16` / `--int8` are refused).
 *
 * A folder that already holds files is refused ({@link BundleExistsError}) unless `force`; the new
 * bundle is swapped in whole, so an old one is replaced only by a complete new one and is intact
 * when the export fails.
 */
export async function exportRun(o: ExportOptions): Promise<ExportResult> {
  if (o.fp16 && o.int8)
    throw new TrainConfigError('--fp16 and --int8 are mutually exclusive: choose one weight storage type');
  await requireDevice(o.device);
  const dir = resolve(o.out ?? runPaths(o.run).bundle);
  const run = loadRun(o.run);
  checkTextStorage(run, o);
  if (resolve(run.dir) === dir || resolve(run.dir).startsWith(`${dir}/`))
    throw new BundleExistsError(
      `export: --out ${dir} would replace the run folder itself: choose another --out DIR`,
    );
  // One writer per run folder: a bundle inside the run waits for no training or other export.
  const lock = dir.startsWith(`${resolve(run.dir)}/`) ? acquireRunLock(run.dir, 'vae export') : null;
  try {
    checkTarget(dir, o.force === true);
    return await exportUnlocked(o, run, dir);
  } finally {
    lock?.release();
  }
}

/** The recipe as a bundle shows it: the user's data files by name, not by their absolute path here. */
function publicRecipe(recipe: Recipe): Record<string, unknown> {
  const r: Record<string, unknown> = { ...recipe };
  if (isUserDataset(recipe.dataset)) r.dataset = basename(recipe.dataset);
  if (recipe.labels) r.labels = basename(recipe.labels);
  return r;
}

async function exportUnlocked(o: ExportOptions, run: LoadedRun, dir: string): Promise<ExportResult> {
  const data = await loadRunData(run.config);
  const spec = run.vae.spec;
  const condSize = spec.condition?.size ?? 0;
  const mapN = Math.min(o.mapExamples ?? 2000, data.test.count);
  const inputs = splitInputs(data.test, run.config.data, condSize, mapN);
  const backend = new OrtBackend({ threads: o.threads, noPrepacking: true, device: o.device });
  try {
    const pass = await elboPass(backend, run.vae, run.params, inputs, fold(key(EVAL_SEED), 1));
    const L = spec.latent;
    const labels = data.test.labels ? Array.from(data.test.labels.subarray(0, mapN)) : undefined;
    const metrics = readMetrics(runPaths(o.run).metrics);
    const last = [...metrics].reverse().find((m) => m.type === 'epoch');
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    const finalMetrics: Record<string, number> = {
      test_elbo: -mean(pass.elbo), // float32; replaced below by the bundle's own for fp16/int8
      ...(num(last?.val_elbo) !== undefined ? { val_elbo: num(last?.val_elbo)! } : {}),
      ...(num(last?.train_loss) !== undefined ? { train_loss: num(last?.train_loss)! } : {}),
      ...(num(last?.epoch) !== undefined ? { epochs: num(last?.epoch)! } : {}),
    };
    const img = run.config.data.image;
    const sequence = sequenceMeta(run); // series: columns and standardisation; text: the vocabulary
    const meta = {
      recipe: publicRecipe(run.config.recipe),
      // The run's own geometry (core would read a flat 784 as 28x28 and any other size as a vector).
      ...(img
        ? { image: { channels: img.c, height: img.h, width: img.w } }
        : spec.likelihood.type === 'tabular'
          ? { tabular: bundleTabularColumns(tabularState(run.config)) } // rows in user units
          : (sequence ?? { kind: 'vector' as const })),
      metrics: finalMetrics,
      dtype: o.fp16 ? ('float16' as const) : o.int8 ? ('int8' as const) : ('float32' as const),
      // Dynamic or thresholded: the model was trained on binary pixels.
      binarized: run.config.data.binarize !== false,
      ...(run.config.data.classNames ? { labels: run.config.data.classNames } : {}),
      latentMap: latentMapMeta(pass.loc, pass.n, L, labels),
    };
    const bundle = await createBundle(run.vae, run.params, meta);
    // Parity: exported graphs vs the training graph's forward, on real test inputs.
    const n = Math.min(o.parityExamples ?? 256, pass.n);
    const rows = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, sliceRows(t, 0, n)]));
    const loc = { dtype: 'float32', shape: [n, L], data: pass.loc.subarray(0, n * L) } as HostTensor;
    // The exported files vs the model's role graphs with parameters as inputs, as in training.
    const checked = await exportParity(backend, run.vae, run.params, bundle, rows, loc, {
      decoderFeeds: decoderExtraFeeds(run, n), // text: greedy decoding
      output: run.config.recipe.text ? 'ids' : 'params',
    });
    const { encoder, decoder, encoded: encOut, decoded: got, trainDecoder: train } = checked;
    const worst = Math.max(encoder, decoder);
    // int8: the quality cost end to end, as a bundle user sees it: log p(x | z) by the bundle's score
    // graph (eps = 0, so z is the posterior mean), with the training graph's decoder at the float32
    // posterior mean vs the int8 decoder at the int8 encoder's mean.
    let int8LogpDelta: number | undefined;
    if (o.int8) {
      const runner = await bundleRunner(backend, bundle);
      const eps = { dtype: 'float32', shape: [1, n, L], data: new Float32Array(n * L) } as HostTensor;
      const fp32Loc: Record<string, HostTensor> = { z: loc, ...(rows.c ? { c: rows.c } : {}) };
      const ref = await train.run({ ...run.params, ...fp32Loc });
      const a = await runner.score(rows, { loc, scale: encOut.scale! }, eps, ref.params!);
      const b = await runner.score(rows, { loc: encOut.loc!, scale: encOut.scale! }, eps, got.params!);
      const ra = a.recon!.data as Float32Array;
      const rb = b.recon!.data as Float32Array;
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.abs(ra[i]! - rb[i]!);
      int8LogpDelta = s / n;
    }
    if (!o.fp16 && !o.int8 && !(worst <= 1e-5))
      throw new ParityError(
        `exported graphs disagree with the training graph: encoder ${encoder}, decoder ${decoder} (max abs diff; limit 1e-5). Nothing was written.`,
      );
    // fp16/int8: the ELBO of the bundle as written, on the same examples and noise as the float32 one.
    const measured: Record<string, number> = {};
    if (o.fp16 || o.int8) {
      const q = await bundleElboPass(backend, bundle, inputs, fold(key(EVAL_SEED), 1));
      measured.test_elbo = -mean(q.elbo);
      measured.test_elbo_float32 = -mean(pass.elbo);
    }
    if (int8LogpDelta !== undefined) measured.int8_logp_delta = int8LogpDelta;
    // Image bundles: the test set's scores on the measure the playground scores a picture with.
    const scoreN = img ? Math.min(o.testScores ?? TEST_SCORE_EXAMPLES, data.test.count) : 0;
    const testScores =
      scoreN > 0
        ? await testScoreSummary(backend, bundle, splitInputs(data.test, run.config.data, condSize, scoreN))
        : undefined;
    // Figures measured on the exported files go into the manifest; the graphs stay as checked.
    const final = amendManifest(bundle, {
      parity: { maxAbsDiff: worst, n, backend: 'onnxruntime-node' },
      metrics: measured,
      ...(testScores ? { testScores } : {}),
    });
    writeBundle(dir, final.files, o.force === true);
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
