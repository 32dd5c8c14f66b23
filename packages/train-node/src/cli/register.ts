import type { CAC } from 'cac';
import { exportRun } from '../export/export-run';
import { TrainConfigError } from '../train/errors';
import { evalCommand } from './eval-command';
import { optInt, optThreads } from './flags';
import { IMPUTE_RULE, imputeCommand } from './impute-command';
import { chunkProgress } from './progress';
import { registerViews } from './register-views';
import { type TrainCommandOptions, trainCommand } from './train-command';

/** Flags arrive as numbers or strings from cac; this reads a number and names the flag when it is not one. */
export function num(flag: string, v: unknown, fallback?: number): number {
  if (v === undefined || v === true) {
    if (fallback === undefined) throw new TrainConfigError(`--${flag} needs a value`);
    return fallback;
  }
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new TrainConfigError(`--${flag} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

/** A number flag that may be absent. */
export const optNum = (flag: string, v: unknown) => (v === undefined ? undefined : num(flag, v));
const list = (flag: string, v: unknown, fallback: string) =>
  String(v ?? fallback)
    .split(',')
    .map((s) => num(flag, s.trim()));

export function need(flag: string, v: unknown): string {
  if (typeof v === 'number') return String(v); // cac reads `--out 7` as a number
  if (typeof v !== 'string' || !v) throw new TrainConfigError(`--${flag} is required`);
  return v;
}

/** Defines every `vae` command on a cac instance. */
export function register(cli: CAC): void {
  cli
    .command('train', 'Train a VAE and write a run folder (config, checkpoints, metrics)')
    .option(
      '--dataset <name>',
      'fashion-mnist | mnist | mnist-default | penguins | PATH.csv (tabular: rows split 80/10/10 train/val/test by a permutation seeded by --seed; schema inferred, standardisation fitted on the training rows; default mnist-default)',
    )
    .option('--model <kind>', 'mlp | conv | tabular (default: tabular for penguins and .csv, else mlp)')
    .option('--latent <n>', 'latent dimensions (default 20; tabular 4)')
    .option('--hidden <list>', 'hidden widths, e.g. 400 or 512,256 (default 400; tabular 64,64)')
    // No cac defaults on recipe flags: --resume must tell a typed flag from a default (recipeFrom applies them).
    .option('--epochs <n>', 'epochs (default 10; with --resume the run keeps its own unless given)')
    .option('--batch <n>', 'batch size (default 128)')
    .option('--lr <x>', 'Adam learning rate (default 0.001)')
    .option('--seed <n>', 'seed of every random draw (default 1)')
    .option('--out <dir>', 'run folder (must not hold a run unless --resume)')
    .option('--beta <b>', 'KL weight (beta-VAE)')
    .option('--warmup-epochs <n>', 'linear KL warm-up from 0 over n epochs')
    .option('--free-bits <f>', 'free bits per latent dimension (nats)')
    .option('--iwae <k>', 'train on the k-sample IWAE bound')
    .option('--conditional', 'condition on the class label (CVAE)')
    .option('--clip <norm>', 'clip gradients to this global norm')
    .option('--steps-per-run <k>', 'optimisation steps per onnxruntime call (default: up to 64)')
    .option('--patience <n>', 'early stopping: epochs without a better validation ELBO')
    .option('--val <n>', 'training examples held out for validation (tabular: validation rows, default 10%)')
    .option('--checkpoint-every <steps>', 'checkpoint at least every this many steps')
    .option('--threads <n>', 'onnxruntime threads (default: all cores)')
    .option('--prefetch', 'prepare batches in a worker thread (no gain when ORT uses every core)')
    .option('--resume', 'continue the run in --out from its last checkpoint')
    .option('--quiet', 'no progress bar')
    .action(async (f: Record<string, unknown>) => {
      // Absent recipe flags stay undefined: defaults for a fresh run, the saved recipe for --resume.
      const o: TrainCommandOptions = {
        dataset: f.dataset === undefined ? undefined : String(f.dataset),
        model: f.model === undefined ? undefined : (String(f.model) as TrainCommandOptions['model']),
        latent: optNum('latent', f.latent),
        hidden: f.hidden === undefined ? undefined : list('hidden', f.hidden, ''),
        epochs: optNum('epochs', f.epochs),
        batch: optNum('batch', f.batch),
        lr: optNum('lr', f.lr),
        seed: optNum('seed', f.seed),
        out: need('out', f.out),
        beta: optNum('beta', f.beta),
        warmupEpochs: optNum('warmup-epochs', f.warmupEpochs),
        freeBits: optNum('free-bits', f.freeBits),
        iwae: optNum('iwae', f.iwae),
        clip: optNum('clip', f.clip),
        conditional: f.conditional === true,
        stepsPerRun: optNum('steps-per-run', f.stepsPerRun),
        patience: optNum('patience', f.patience),
        val: optNum('val', f.val),
        checkpointEvery: optInt('checkpoint-every', f.checkpointEvery),
        threads: optThreads(f.threads),
        prefetch: f.prefetch === true,
        resume: f.resume === true,
        quiet: f.quiet === true,
      };
      const r = await trainCommand(o);
      const best = r.progress.bestValElbo;
      process.stdout.write(
        `${JSON.stringify({ run: r.dir, steps: r.progress.step, epochs: r.progress.epoch, finished: r.progress.finished, samples_per_s: Math.round(r.samplesPerSecond), best_val_elbo: best === null ? null : -best, best_epoch: r.progress.bestEpoch })}\n`,
      );
    });

  cli
    .command(
      'eval',
      'Evaluate a run: test ELBO, importance-sampled NLL, recon, KL, active units (one JSON object)',
    )
    .option('--run <dir>', 'run folder')
    .option('--iw <k>', 'importance samples for the NLL (0 to skip)', { default: 1000 })
    .option('--split <name>', 'test | val | train', { default: 'test' })
    .option('--limit <n>', 'only the first n examples of the split')
    .option('--threads <n>', 'onnxruntime threads, 1 to the cores here (default: all)')
    .action(async (f: Record<string, unknown>) => {
      const bar = chunkProgress('importance sampling');
      const r = await evalCommand({
        run: need('run', f.run),
        iw: num('iw', f.iw),
        split: String(f.split) as 'test',
        limit: optNum('limit', f.limit),
        threads: optThreads(f.threads),
        onProgress: bar.onChunk,
      }).finally(bar.stop);
      process.stdout.write(`${JSON.stringify(r)}\n`);
    });

  cli
    .command(
      'export',
      'Export a bundle (RUN/bundle or --out): encoder.onnx, decoder.onnx, manifest.json (parity-checked)',
    )
    .option('--run <dir>', 'run folder')
    .option('--out <dir>', 'bundle folder (default: RUN/bundle)')
    .option('--force', 'replace the bundle already in the folder (never replaced otherwise)')
    .option('--fp16', 'store weights as float16')
    .option(
      '--int8',
      'store MatMul weights as 8-bit levels (per-column scales; ~1/4 the size, faster in browsers); not with --fp16',
    )
    .option('--threads <n>', 'onnxruntime threads, 1 to the cores here (default: all)')
    .action(async (f: Record<string, unknown>) => {
      const r = await exportRun({
        run: need('run', f.run),
        ...(f.out !== undefined ? { out: need('out', f.out) } : {}),
        force: f.force === true,
        fp16: f.fp16 === true,
        int8: f.int8 === true,
        threads: optThreads(f.threads),
      });
      const bytes = Object.fromEntries(Object.entries(r.manifest.files).map(([n, e]) => [n, e.bytes]));
      process.stdout.write(
        `${JSON.stringify({ bundle: r.dir, parity: r.parity, dtype: r.manifest.dtype, files: bytes, ...(r.int8LogpDelta !== undefined ? { int8_logp_delta: r.int8LogpDelta } : {}) })}\n`,
      );
    });

  cli
    .command(
      'impute',
      `Fill the missing cells of a CSV with a tabular run's model; ${IMPUTE_RULE}. Observed cells are copied unchanged.`,
    )
    .usage(
      `impute --run DIR --csv IN.csv --out OUT.csv [--samples 100 --seed 1]\n\n  Fills missing cells: ${IMPUTE_RULE}.\n  Observed cells are copied unchanged; columns the model does not know pass through.`,
    )
    .option('--run <dir>', 'run folder of a tabular run (vae train --model tabular)')
    .option(
      '--csv <path>',
      "input CSV with the run's columns; empty, NA, N/A, NaN, null, ? cells are missing",
    )
    .option('--out <path>', 'output CSV (written atomically)')
    .option(
      '--samples <n>',
      'importance-weighted posterior samples per row (0: decode the posterior mean, unweighted)',
      {
        default: 100,
      },
    )
    .option('--seed <n>', 'seed of the posterior draws', { default: 1 })
    .option('--threads <n>', 'onnxruntime threads, 1 to the cores here (default: all)')
    .action(async (f: Record<string, unknown>) => {
      const r = await imputeCommand({
        run: need('run', f.run),
        csv: need('csv', f.csv),
        out: need('out', f.out),
        samples: num('samples', f.samples),
        seed: num('seed', f.seed),
        threads: optThreads(f.threads),
      });
      process.stdout.write(`${JSON.stringify(r)}\n`);
    });

  registerViews(cli);
}
