import { extname } from 'node:path';
import { OrtBackend } from '../backend/ort-backend';
import { splitInputs } from '../data/load-data';
import { checkInt, UsageError } from '../render/errors';
import { writeOutput } from '../render/png-grid';
import { loadRun } from '../run/run-dir';
import { renderSvg } from '../views/plot';
import { embedData } from './embed-data';
import { type EmbedFormat, type EmbedLabels, embedColumns, embeddingCsv, embeddingNpy } from './embed-files';
import { latentMap, latentMapSpec } from './latent-map';
import { checkOutputPath } from './output-path';
import { posteriorMoments } from './posterior';
import { svgToPng } from './raster';

/** `vae embed` options. */
export interface EmbedCommandOptions {
  /** Run folder (config.json + best.safetensors). */
  readonly run: string;
  /** Data to embed instead of the run's own: anything `vae train --dataset` takes. */
  readonly dataset?: string;
  /** Which split (default `test`). */
  readonly split?: 'test' | 'val' | 'train';
  /** Only the first `limit` examples of the split. */
  readonly limit?: number;
  /** Embedding file: `.csv` or `.npy`. */
  readonly out?: string;
  /** 2-D map: `.svg` or `.png`. */
  readonly plot?: string;
  readonly threads?: number;
}

/** What `vae embed` wrote. */
export interface EmbedResult {
  readonly out: string | null;
  readonly plot: string | null;
  readonly dataset: string;
  readonly split: string;
  /** Examples embedded. */
  readonly n: number;
  readonly latent: number;
  /** Columns of `out`, in order (null without `--out`). */
  readonly columns: readonly string[] | null;
  /** Whether the examples' classes were known (a `label` column, colours on the map). */
  readonly labelled: boolean;
  /** The map's axes, and the share of the means' variance along each. */
  readonly map: { readonly axes: readonly string[]; readonly explained: readonly number[] } | null;
}

/** Help text for the CLI. */
export const EMBED_HELP =
  "Encode a split to its posterior means and standard deviations (the model's encoder): --out " +
  'FILE.csv|.npy writes them (with the class label when known), --plot FILE.svg|.png draws the means ' +
  'as a 2-D map coloured by class (the means themselves for a 2-D latent space, else their first two ' +
  'principal components).';

/** The format a path's extension names, or a UsageError naming the flag and what it takes. */
function format<T extends string>(flag: string, path: string, allowed: readonly T[]): T {
  const ext = extname(path).slice(1).toLowerCase();
  if (!(allowed as readonly string[]).includes(ext))
    throw new UsageError(
      `--${flag} must end in ${allowed.map((a) => `.${a}`).join(' or ')}, got ${JSON.stringify(path)}`,
    );
  return ext as T;
}

/**
 * `vae embed`: the posterior means and scales of a split of the run's data (or of `--dataset`),
 * written as CSV or NPY and drawn as a 2-D map. Flags are checked before any data are read.
 * @throws UsageError for bad flags or data that do not fit the run; RunError for a missing run
 */
export async function embedCommand(o: EmbedCommandOptions): Promise<EmbedResult> {
  if (o.out === undefined && o.plot === undefined)
    throw new UsageError('vae embed needs --out FILE.csv|.npy, --plot FILE.svg|.png, or both');
  const outFormat = o.out === undefined ? null : format<EmbedFormat>('out', o.out, ['csv', 'npy']);
  const plotFormat = o.plot === undefined ? null : format('plot', o.plot, ['svg', 'png']);
  if (o.out !== undefined) checkOutputPath('out', o.out);
  if (o.plot !== undefined) checkOutputPath('plot', o.plot);
  const split = o.split ?? 'test';
  if (!['test', 'val', 'train'].includes(split))
    throw new UsageError(`--split must be test, val or train, got ${split}`);
  if (o.limit !== undefined) checkInt('limit', o.limit);
  const run = loadRun(o.run);
  const { data, info, dataset } = await embedData(run, o.dataset);
  const examples = data[split];
  if (examples.count === 0)
    throw new UsageError(
      `the ${split} split of ${dataset} is empty${split === 'val' ? ' (trained with --val 0?)' : ''}: choose another --split`,
    );
  const n = Math.min(o.limit ?? examples.count, examples.count);
  const inputs = splitInputs(examples, info, run.vae.spec.condition?.size ?? 0, n);
  const backend = new OrtBackend({ threads: o.threads });
  const moments = await posteriorMoments(backend, run, inputs).finally(() => backend.dispose());
  const labels: EmbedLabels | null =
    examples.labels && examples.classNames
      ? { labels: examples.labels.subarray(0, n), classNames: examples.classNames }
      : null;
  if (o.out !== undefined && outFormat)
    writeOutput(o.out, outFormat === 'csv' ? embeddingCsv(moments, labels) : embeddingNpy(moments, labels));
  let map: EmbedResult['map'] = null;
  if (o.plot !== undefined) {
    const m = latentMap(moments);
    const title = `posterior means: ${dataset} (${split}, ${n} examples)`;
    const svg = await renderSvg(latentMapSpec(m, labels, title));
    writeOutput(o.plot, plotFormat === 'png' ? await svgToPng(svg) : svg);
    map = { axes: m.axes, explained: m.explained };
  }
  return {
    out: o.out ?? null,
    plot: o.plot ?? null,
    dataset,
    split,
    n,
    latent: moments.latent,
    columns: outFormat ? embedColumns(moments.latent, labels !== null, outFormat) : null,
    labelled: labels !== null,
    map,
  };
}
