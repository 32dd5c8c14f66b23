/**
 * `vae sample --csv`: synthetic rows from a tabular run, in user units. Each row is one draw of the
 * model: z ~ p(z), then x ~ p(x|z) (a Gaussian draw per continuous column, a category per
 * categorical one), mapped back by the one mapping browsers use too (`@vae/core`'s
 * rowsFromFeatures). Noise is laid out as `@vae/infer-web`'s `sampleRows(n, seed)` lays it out, so
 * a bundle of this run gives the same rows in a browser.
 */
import { existsSync } from 'node:fs';
import {
  type BundleTabularColumn,
  fold,
  formatTabularValue,
  Graph,
  GraphNoise,
  type HostTensor,
  key,
  rowsFromFeatures,
  type TabularRow,
  type VAE,
} from '@vae/core';
import { OrtBackend } from '../backend/ort-backend';
import { UsageError } from '../render/errors';
import { writeOutput } from '../render/png-grid';
import { loadRun } from '../run/run-dir';
import { priorDraw } from '../views/prior-draw';
import { checkSampleOptions, checkTemperaturePrior } from '../views/sample';
import { bundleTabularColumns } from './tabular-columns';
import { tabularState } from './tabular-data';
import { csvCell } from './tabular-impute';

/** `vae sample --csv` options. */
export interface SampleRowsOptions {
  /** Run folder of a tabular run. */
  readonly run: string;
  /** Output CSV; an existing file is replaced only with `force`. */
  readonly csv: string;
  /** Rows to draw. */
  readonly n: number;
  /** Seed of the draws: the same seed gives the same file. */
  readonly seed: number;
  /** Scales the standard-normal prior's draws (z = t eps); default 1. */
  readonly temperature?: number;
  /** Replace an existing `csv`. */
  readonly force?: boolean;
  readonly threads?: number;
}

/** What `vae sample --csv` wrote. */
export interface SampleRowsResult {
  readonly csv: string;
  readonly rows: number;
  readonly columns: readonly string[];
}

/**
 * One graph: z ~ p(z) ({@link priorDraw}), decoded, and one draw of p(x|z) on `data` noise: encoded
 * features [n, width].
 */
export function sampleRowsGraph(vae: VAE, n: number) {
  const g = new Graph('sample_rows');
  const params = vae.paramInputs(g);
  const prior = priorDraw(vae, g, params, n);
  const dataNoise = new GraphNoise(g, 'data');
  const sample = vae.decode(params, prior.z).sample(dataNoise);
  return { graph: g, outputs: { sample }, prior, dataNoise };
}

/**
 * Draws `n` rows of a tabular run. Key layout (infer-web's `sampleRows`): z from `fold(key(seed), 0)`
 * (standard normal: `temperature * normal(that key, n * latent)`; a mixture: its sampler's i-th noise
 * from `fold(that key, i)`), the data draw's i-th noise from `fold(fold(key(seed), 1), i)`.
 */
export async function sampleRows(
  o: Omit<SampleRowsOptions, 'csv' | 'force'>,
): Promise<{ rows: TabularRow[]; columns: BundleTabularColumn[] }> {
  const temperature = checkSampleOptions(o);
  const run = loadRun(o.run);
  const spec = run.vae.spec;
  if (spec.likelihood.type !== 'tabular')
    throw new UsageError(
      `vae sample --csv writes table rows, but ${o.run} was trained on images (shape [${spec.dataShape.join(', ')}]): use --png FILE for a picture grid`,
    );
  checkTemperaturePrior(temperature, run);
  const columns = bundleTabularColumns(tabularState(run.config));
  const k = key(o.seed);
  const built = sampleRowsGraph(run.vae, o.n);
  const feeds: Record<string, HostTensor> = {
    ...run.params,
    ...built.prior.feeds(k, temperature),
    ...built.dataNoise.feeds(fold(k, 1)),
  };
  const backend = new OrtBackend({ threads: o.threads });
  try {
    const compiled = await backend.compile('sample-rows', () => built);
    const out = await compiled.run(feeds);
    return { rows: rowsFromFeatures(columns, out.sample!.data as Float32Array), columns };
  } finally {
    await backend.dispose();
  }
}

/**
 * `vae sample --run DIR --csv FILE`: writes `n` synthetic rows (header = the model's columns,
 * categories by name, numbers with the training data's decimals).
 * @throws UsageError for bad options, an image run, or an existing file without `force`;
 *   RunError for a missing run
 */
export async function sampleRowsCommand(o: SampleRowsOptions): Promise<SampleRowsResult> {
  if (existsSync(o.csv) && !o.force)
    throw new UsageError(`${o.csv} already exists: pass --force to replace it, or choose another --csv FILE`);
  const { rows, columns } = await sampleRows(o);
  const lines = [columns.map((c) => csvCell(c.name)).join(',')];
  for (const row of rows)
    lines.push(columns.map((c) => csvCell(formatTabularValue(c, row[c.name]!))).join(','));
  writeOutput(o.csv, `${lines.join('\n')}\n`);
  return { csv: o.csv, rows: rows.length, columns: columns.map((c) => c.name) };
}
