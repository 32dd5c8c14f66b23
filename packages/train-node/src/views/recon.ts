import { OrtBackend } from '../backend/ort-backend';
import { loadRunData, splitInputs } from '../data/load-data';
import { checkInt, UsageError } from '../render/errors';
import { decodeMeans, encodeMeans, rawImages, runImage } from '../render/model-images';
import { checkScale, gridColumns, pngGrid, writeOutput } from '../render/png-grid';
import { stackedRows } from '../render/row-groups';
import { loadRun } from '../run/run-dir';

/** `vae recon` options. */
export interface ReconCommandOptions {
  /** Run folder (config.json + best.safetensors). */
  readonly run: string;
  /** The first `n` examples of the split. */
  readonly n: number;
  /** Output PNG path. */
  readonly png: string;
  /** Which split (default `test`). */
  readonly split?: 'test' | 'val' | 'train';
  /** Examples per row (default: a grid that fits n, see `gridColumns`). */
  readonly cols?: number;
  /** Pixels per image pixel, nearest neighbour (default `'auto'`: see `autoScale`). */
  readonly scale?: number | 'auto';
  readonly threads?: number;
}

/** What `vae recon` wrote. */
export interface ReconResult {
  readonly png: string;
  readonly split: string;
  /** Examples shown (each as original + reconstruction). */
  readonly n: number;
  /** Grid rows (pairs of original / reconstruction rows). */
  readonly rows: number;
  readonly cols: number;
  readonly width: number;
  readonly height: number;
  /** Pixels per image pixel. */
  readonly scale: number;
}

/** Help text for the CLI. */
export const RECON_HELP =
  'Save the first --n examples of a split (grey-level originals) over their reconstructions (the ' +
  'likelihood mean decoded from the posterior mean) as a PNG: original rows alternate with ' +
  'reconstruction rows.';

/** Background-grey cells that pad a short last row, so reconstructions stay under their originals. */
const GAP = 0.5;

/**
 * `vae recon`: encodes the first `n` examples of a split to their posterior means, decodes them to the
 * likelihood mean and writes originals over reconstructions as a PNG.
 * @throws UsageError for bad options or too few examples; RunError for a missing run.
 */
export async function reconCommand(o: ReconCommandOptions): Promise<ReconResult> {
  checkInt('n', o.n);
  const split = o.split ?? 'test';
  if (!['test', 'val', 'train'].includes(split))
    throw new UsageError(`--split must be test, val or train, got ${split}`);
  // Each example takes two grid rows (original over reconstruction).
  const cols = o.cols ?? gridColumns(o.n, 2);
  checkInt('cols', cols);
  checkScale(o.scale);
  const run = loadRun(o.run);
  const img = runImage(run, 'recon');
  const data = (await loadRunData(run.config))[split];
  if (o.n > data.count)
    throw new UsageError(`--n ${o.n} is more than the ${data.count} examples of the ${split} split`);
  const inputs = splitInputs(data, run.config.data, run.vae.spec.condition?.size ?? 0, o.n);
  const backend = new OrtBackend({ threads: o.threads });
  let recon: Float32Array;
  try {
    const loc = await encodeMeans(backend, run, inputs);
    recon = await decodeMeans(backend, run, loc, inputs.c);
  } finally {
    await backend.dispose();
  }
  const originals = rawImages(
    data,
    Array.from({ length: o.n }, (_, i) => i),
    run.config.data.scale,
  );
  const size = img.h * img.w * img.c;
  const { cells, count } = stackedRows([originals, recon], o.n, cols, size, GAP);
  const grid = pngGrid(cells, count, { ...img, cols, scale: o.scale ?? 'auto' });
  writeOutput(o.png, grid.png);
  return {
    png: o.png,
    split,
    n: o.n,
    rows: grid.rows,
    cols: grid.cols,
    width: grid.width,
    height: grid.height,
    scale: grid.scale,
  };
}
