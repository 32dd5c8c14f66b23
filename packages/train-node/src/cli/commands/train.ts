import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TrainConfigError } from '@vae/core';
import type { CAC } from 'cac';
import { parseDevice } from '../../backend/device';
import { formatProfile, profileFiles, summariseProfile } from '../../backend/ort-profile';
import { clock } from '../../render/progress';
import { readConfig } from '../../run/run-dir';
import { type TrainCommandOptions, trainCommand } from '../../run/train-command';
import { DEVICE_FLAG, list, need, optInt, optNum, optThreads, printResult } from '../flags';
import { nats, plural } from '../summary';

/** `--size HxW` (e.g. 32x32) as [h, w]. */
function imageSize(v: unknown): [number, number] {
  const m = /^\s*(\d+)\s*x\s*(\d+)\s*$/i.exec(String(v));
  const hw = m ? ([Number(m[1]), Number(m[2])] as [number, number]) : null;
  if (!hw || hw[0] < 1 || hw[1] < 1)
    throw new TrainConfigError(
      `--size must be HxW with positive integers, e.g. 32x32, got ${JSON.stringify(v)}`,
    );
  return hw;
}

/** What a person reads after `vae train`: what was trained, where it is, its best validation figure. */
function trainSummary(r: Awaited<ReturnType<typeof trainCommand>>, seconds: number): string[] {
  const { recipe, model } = readConfig(r.dir);
  const p = r.progress;
  // The parts that tell runs apart: likelihood (tabular models have their own), a non-standard prior.
  const parts = [`latent ${recipe.latent}`, `hidden ${recipe.hidden.join(',')}`];
  if (model.likelihood.type !== 'tabular') parts.push(model.likelihood.type);
  if (model.prior.type !== 'standard-normal') parts.push(`${model.prior.type} prior`);
  if (recipe.denoise) parts.push(`denoising ${recipe.denoise}`);
  const what = `${recipe.model} ${recipe.text?.lm ? 'language model' : 'VAE'} (${parts.join(', ')})`;
  const stopped = p.finished === 'early-stopping' ? ', stopped early (no better validation ELBO)' : '';
  const sample =
    model.likelihood.type === 'tabular' ? '--csv rows.csv' : recipe.text ? '--n 10' : '--png samples.png';
  return [
    `trained ${what} on ${recipe.dataset} for ${plural(p.epoch, 'epoch')}${stopped}: ${plural(p.step, 'step')}, ${Math.round(r.samplesPerSecond)} samples/s, ${clock(seconds)}; run folder ${r.dir}`,
    `  ${p.bestValElbo === null ? 'no validation data: best.safetensors holds the last weights' : `best validation -ELBO ${nats(-p.bestValElbo)} per example (${recipe.denoise ? `clean x scored from ${recipe.denoise}-corrupted inputs, ` : ''}epoch ${p.bestEpoch})`}; next: vae eval --run ${r.dir}, vae sample --run ${r.dir} ${sample}, vae export --run ${r.dir}`,
  ];
}

/** `vae train`: its flags, and the JSON line it prints (and its summary, {@link trainSummary}). */
export function register(cli: CAC): void {
  cli
    .command('train', 'Train a VAE and write a run folder (config, checkpoints, metrics)')
    .option(
      '--dataset <name>',
      'fashion-mnist | mnist | mnist-default | penguins | DIR (PNG/JPEG images, labels from sub-folders) | FILE.npy | FILE.npz | FILE-idx3-ubyte[.gz] | PATH.csv (tabular: rows split 80/10/10 train/val/test by a permutation seeded by --seed; schema inferred, standardisation fitted on the training rows; default mnist-default)',
    )
    .option(
      '--size <HxW>',
      'image folders: resize every image to HxW (centre crop, then resize; default: all the size of the first)',
    )
    .option(
      '--grey',
      'image folders: convert colour images to grey (BT.601 luma; default: RGB folders train in colour)',
    )
    .option('--channels-first', '.npy/.npz: the array is N x C x H x W')
    .option('--labels <file>', '.npy/.npz: class ids of the examples, an .npy of N integers')
    .option(
      '--classes <list>',
      'train and validate on these classes only, names or ids, e.g. Trouser or 1,3 (the one-class protocol; the test split keeps every class)',
    )
    .option(
      '--test-fraction <f>',
      'data without a test split: share held out as the test split (default 0.1; stratified by label, the same draw for every run)',
    )
    .option(
      '--series <cols>',
      'FILE.csv as a time series: these numeric columns (rows are time steps), cut into --window windows split in time order (--test-fraction, default 0.2, the last steps; --val N the steps before them, default 10%)',
    )
    .option('--window <w>', 'series: time steps per window (needs --series)')
    .option('--stride <s>', 'series: steps between window starts (default 1)')
    .option(
      '--series-missing <m>',
      'series: a missing cell is an error (default) or filled by linear interpolation',
    )
    .option(
      '--text <kind>',
      'FILE.txt as text, one sequence per line: chars (a character-level GRU text VAE, Bowman et al. 2016; the only kind); lines split like other data without a test split (--test-fraction, --val)',
    )
    .option(
      '--max-len <n>',
      'text: longest line kept, in characters (longer lines are left out; needs --text)',
    )
    .option('--lowercase', 'text: lower-case every line first')
    .option(
      '--word-dropout <p>',
      'text: decoder inputs replaced by UNK with probability p in training (default 0.25; --lm 0)',
    )
    .option(
      '--lm',
      'text: the language model of the same decoder with no latent variable (the baseline; KL 0)',
    )
    .option('--embed <n>', 'text: character embedding size (default 64)')
    .option(
      '--model <kind>',
      'mlp | conv | tabular | conv1d | gru (default: conv1d with --series, tabular for penguins and .csv, else mlp)',
    )
    .option('--latent <n>', 'latent dimensions (default 20; tabular 4)')
    .option(
      '--hidden <list>',
      'hidden widths, e.g. 400 or 512,256 (default 400; tabular 64,64); conv: one stride-2 conv per width, its channels (default 32,64)',
    )
    // No cac defaults on recipe flags: --resume must tell a typed flag from a default (recipeFrom applies them).
    .option('--epochs <n>', 'epochs (default 10; with --resume the run keeps its own unless given)')
    .option('--batch <n>', 'batch size (default 128)')
    .option('--lr <x>', 'learning rate (default 0.001; the peak rate of a --lr-schedule)')
    .option('--optimizer <name>', 'adam | adamw | sgd, as torch.optim (default adam)')
    .option(
      '--weight-decay <w>',
      "torch's weight_decay: adam and sgd add w*p to the gradient (L2), adamw decays p by lr*w each step (default 0; adamw 0.01)",
    )
    .option('--momentum <m>', 'sgd only: momentum in [0, 1) (default 0)')
    .option(
      '--lr-schedule <s>',
      'constant | cosine (to 0 over the run) | step:E:G (times G every E epochs) | warmup:E (linear from 0 over E epochs) (default constant)',
    )
    .option(
      '--prior <p>',
      'standard | mog:K (learned K-component Gaussian mixture) | vamp:K (VampPrior, K pseudo-inputs) (default standard)',
    )
    .option('--seed <n>', 'seed of every random draw (default 1)')
    .option('--out <dir>', 'run folder (must not hold a run unless --resume)')
    .option('--beta <b>', 'KL weight (beta-VAE)')
    .option('--warmup-epochs <n>', 'linear KL warm-up from 0 over n epochs')
    .option('--free-bits <f>', 'free bits per latent dimension (nats)')
    .option('--iwae <k>', 'train on the k-sample IWAE bound')
    .option('--conditional', 'condition on the class label (CVAE)')
    .option(
      '--likelihood <l>',
      'image models: bernoulli | continuous-bernoulli | gaussian | discretized-logistic (256 levels) (default bernoulli)',
    )
    .option(
      '--binarize <b>',
      'bernoulli: dynamic (a fresh Bernoulli draw per visit) | threshold (x >= 0.5) (default dynamic); grey-level likelihoods are never binarised',
    )
    .option(
      '--gaussian-scale <s>',
      'gaussian: shared (one learned sigma) | per-pixel (a learned sigma per pixel) | fixed:S (default shared)',
    )
    .option(
      '--denoise <noise>',
      'image models: a denoising VAE, its encoder trained on inputs corrupted by gaussian:SIGMA (added noise) | mask:P (pixels set to 0) | salt-pepper:P (pixels set to 0 or 1, P/2 each), its likelihood scoring the clean ones',
    )
    .option('--clip <norm>', 'clip gradients to this global norm')
    .option('--steps-per-run <k>', 'optimisation steps per onnxruntime call (default: up to 64)')
    .option('--patience <n>', 'early stopping: epochs without a better validation ELBO')
    .option(
      '--val <n>',
      'training examples held out for validation (default 5000, mnist-default 1000; your own files: 10% of the training examples, at most 5000; tabular: 10% of the rows)',
    )
    .option('--checkpoint-every <steps>', 'checkpoint at least every this many steps')
    .option('--threads <n>', 'onnxruntime threads (default: all cores)')
    .option(DEVICE_FLAG.name, DEVICE_FLAG.help)
    .option(
      '--profile <prefix>',
      "write onnxruntime's per-node profile to <prefix>_<time>.json and print where the time went",
    )
    .option('--prefetch', 'prepare batches in a worker thread (no gain when ORT uses every core)')
    .option('--resume', 'continue the run in --out from its last checkpoint')
    .option('--quiet', 'no progress or summary on stderr (stdout keeps its JSON line)')
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
        optimizer: f.optimizer === undefined ? undefined : String(f.optimizer),
        weightDecay: optNum('weight-decay', f.weightDecay),
        momentum: optNum('momentum', f.momentum),
        lrSchedule: f.lrSchedule === undefined ? undefined : String(f.lrSchedule),
        prior: f.prior === undefined ? undefined : String(f.prior),
        seed: optNum('seed', f.seed),
        out: need('out', f.out),
        beta: optNum('beta', f.beta),
        warmupEpochs: optNum('warmup-epochs', f.warmupEpochs),
        freeBits: optNum('free-bits', f.freeBits),
        iwae: optNum('iwae', f.iwae),
        clip: optNum('clip', f.clip),
        conditional: f.conditional === true,
        likelihood: f.likelihood === undefined ? undefined : String(f.likelihood),
        binarize: f.binarize === undefined ? undefined : String(f.binarize),
        gaussianScale: f.gaussianScale === undefined ? undefined : String(f.gaussianScale),
        denoise: f.denoise === undefined ? undefined : String(f.denoise),
        stepsPerRun: optNum('steps-per-run', f.stepsPerRun),
        patience: optNum('patience', f.patience),
        val: optNum('val', f.val),
        size: f.size === undefined ? undefined : imageSize(f.size),
        grey: f.grey === true ? true : undefined,
        channelsFirst: f.channelsFirst === true ? true : undefined,
        labels: f.labels === undefined ? undefined : need('labels', f.labels),
        classes: f.classes === undefined ? undefined : String(f.classes).split(','),
        testFraction: optNum('test-fraction', f.testFraction),
        series: f.series === undefined ? undefined : need('series', f.series).split(','),
        window: optInt('window', f.window),
        stride: optInt('stride', f.stride),
        seriesMissing: f.seriesMissing === undefined ? undefined : String(f.seriesMissing),
        text: f.text === undefined ? undefined : String(f.text),
        maxLen: optInt('max-len', f.maxLen),
        lowercase: f.lowercase === true ? true : undefined,
        wordDropout: optNum('word-dropout', f.wordDropout),
        lm: f.lm === true ? true : undefined,
        embed: optInt('embed', f.embed),
        checkpointEvery: optInt('checkpoint-every', f.checkpointEvery),
        threads: optThreads(f.threads),
        device: parseDevice(f.device),
        prefetch: f.prefetch === true,
        profile: f.profile === undefined ? undefined : profilePrefix(need('profile', f.profile)),
        resume: f.resume === true,
        quiet: f.quiet === true,
      };
      const t0 = performance.now();
      const t0Wall = Date.now();
      const r = await trainCommand(o);
      const best = r.progress.bestValElbo;
      const summary = trainSummary(r, (performance.now() - t0) / 1000);
      printResult(
        {
          run: r.dir,
          steps: r.progress.step,
          epochs: r.progress.epoch,
          finished: r.progress.finished,
          samples_per_s: Math.round(r.samplesPerSecond),
          best_val_elbo: best === null ? null : -best,
          best_epoch: r.progress.bestEpoch,
        },
        summary,
        o.quiet,
      );
      // onnxruntime wrote one file per session (training step, validation) when they were released.
      if (o.profile !== undefined && !o.quiet)
        for (const file of profileFiles(o.profile, t0Wall))
          process.stderr.write(`${formatProfile(summariseProfile(file))}\n`);
    });
}

/** `--profile`'s prefix, checked: onnxruntime writes `<prefix>_<time>.json` and needs its folder. */
function profilePrefix(prefix: string): string {
  const dir = dirname(resolve(prefix));
  if (!existsSync(dir))
    throw new TrainConfigError(
      `--profile ${prefix}: folder ${dir} does not exist; create it or pick another prefix`,
    );
  return resolve(prefix);
}
