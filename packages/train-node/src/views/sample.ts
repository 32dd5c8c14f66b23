import { Graph, type HostTensor, key, type Tensor, type VAE } from '@vae/core';
import { OrtBackend } from '../backend/ort-backend';
import { checkInt, UsageError } from '../render/errors';
import { oneHot, runImage } from '../render/model-images';
import { checkScale, pngGrid, writeOutput } from '../render/png-grid';
import { type LoadedRun, loadRun } from '../run/run-dir';
import { priorDraw } from './prior-draw';

/** `vae sample` options. */
export interface SampleCommandOptions {
  /** Run folder (config.json + best.safetensors). */
  readonly run: string;
  /** Samples to draw; for a conditional run, samples per class. */
  readonly n: number;
  /** Seed of the prior draws: the same seed gives the same picture. */
  readonly seed: number;
  /** Output PNG path. */
  readonly png: string;
  /** Scales the standard-normal prior's draws (z = t * eps); default 1. Standard-normal prior only. */
  readonly temperature?: number;
  /** Images per row for unconditional runs (default: a grid that fits n, see `gridColumns`). */
  readonly cols?: number;
  /** Pixels per image pixel, nearest neighbour (default `'auto'`: see `autoScale`). */
  readonly scale?: number | 'auto';
  readonly threads?: number;
}

/** What `vae sample` drew and wrote. */
export interface SampleResult {
  readonly png: string;
  /** Images in the grid. */
  readonly images: number;
  readonly rows: number;
  readonly cols: number;
  readonly width: number;
  readonly height: number;
  /** Pixels per image pixel. */
  readonly scale: number;
  /** Class label of each grid row, for conditional runs (null otherwise). */
  readonly rowLabels: readonly string[] | null;
}

/** Help text for the CLI. */
export const SAMPLE_HELP =
  'Draw z from the prior and save the decoded likelihood means (e.g. Bernoulli probabilities) as a ' +
  'PNG grid. For conditional runs, each row is one class (in label order) and each column shares ' +
  'one z, so a column shows one "style" across classes; --n is then samples per class. For tabular ' +
  'runs, --csv FILE writes --n synthetic rows in the units of the training data instead (z ~ p(z), ' +
  'then x ~ p(x|z)).';

/**
 * One graph: z ~ p(z) ([rows, latent], drawn as {@link priorDraw} lays it out: the same z as
 * `@vae/infer-web`'s `sample(n, seed)`), tiled `classes` times for conditional models, decoded to
 * p(x|z[,c]).mean.
 */
function sampleGraph(vae: VAE, n: number, classes: number) {
  const g = new Graph('sample');
  const params = vae.paramInputs(g);
  const prior = priorDraw(vae, g, params, n);
  let z: Tensor = prior.z;
  const cond = vae.spec.condition;
  const c = cond ? g.input('c', [n * classes, cond.size]) : undefined;
  if (classes > 1)
    z = g.apply1(
      'Concat',
      Array.from({ length: classes }, () => z),
      { axis: 0 },
    );
  return { graph: g, outputs: { mean: vae.decode(params, z, { c }).mean }, prior };
}

/**
 * Checks the options every `vae sample` output shares: `n`, `seed`, `temperature`.
 * @returns the temperature (default 1)
 * @throws UsageError naming the option
 */
export function checkSampleOptions(o: { n: number; seed: number; temperature?: number }): number {
  checkInt('n', o.n);
  checkInt('seed', o.seed, 0);
  const temperature = o.temperature ?? 1;
  if (!(Number.isFinite(temperature) && temperature > 0))
    throw new UsageError(`--temperature must be a positive number, got ${o.temperature}`);
  return temperature;
}

/** A temperature other than 1 scales standard-normal draws; mixture priors have their own sampler. */
export function checkTemperaturePrior(temperature: number, run: LoadedRun): void {
  const prior = run.vae.spec.prior.type;
  if (temperature !== 1 && prior !== 'standard-normal')
    throw new UsageError(
      `--temperature works with the standard-normal prior only; ${run.dir} has a ${prior} prior (use --temperature 1)`,
    );
}

/**
 * `vae sample`: draws from the prior of a trained run and writes the decoded means as a PNG grid,
 * in one batched onnxruntime-node call.
 * @throws UsageError for bad options or a run whose data are not images; RunError for a missing run.
 */
export async function sampleCommand(o: SampleCommandOptions): Promise<SampleResult> {
  const temperature = checkSampleOptions(o);
  if (o.cols !== undefined) checkInt('cols', o.cols);
  checkScale(o.scale);
  const run = loadRun(o.run);
  if (run.vae.spec.likelihood.type === 'tabular')
    throw new UsageError(
      `${o.run} is a tabular run: vae sample --run ${o.run} --csv FILE writes synthetic rows (--png draws images)`,
    );
  const img = runImage(run, 'sample');
  const spec = run.vae.spec;
  checkTemperaturePrior(temperature, run);
  const classes = spec.condition?.size ?? 1;
  const labels = spec.condition
    ? (spec.condition.labels ??
      run.config.data.classNames ??
      Array.from({ length: classes }, (_, i) => `${i}`))
    : null;
  const backend = new OrtBackend({ threads: o.threads });
  try {
    const built = sampleGraph(run.vae, o.n, classes);
    const compiled = await backend.compile('sample', () => built);
    const feeds: Record<string, HostTensor> = {
      ...run.params,
      ...built.prior.feeds(key(o.seed), temperature),
    };
    if (spec.condition)
      feeds.c = oneHot(
        Array.from({ length: o.n * classes }, (_, i) => Math.floor(i / o.n)),
        spec.condition.size,
      );
    const out = await compiled.run(feeds);
    const images = out.mean!.data as Float32Array;
    const total = o.n * classes;
    const grid = pngGrid(images, total, {
      ...img,
      cols: spec.condition ? o.n : o.cols,
      scale: o.scale ?? 'auto',
    });
    writeOutput(o.png, grid.png);
    return {
      png: o.png,
      images: total,
      rows: grid.rows,
      cols: grid.cols,
      width: grid.width,
      height: grid.height,
      scale: grid.scale,
      rowLabels: labels ? [...labels] : null,
    };
  } finally {
    await backend.dispose();
  }
}
