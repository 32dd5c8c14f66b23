/**
 * `vae impute`: fills the missing cells of a CSV from a tabular run's model, in the user's units.
 * Observed cells are copied unchanged (their text as it was); the file is written atomically.
 */
import {
  fold,
  formatTabularValue,
  Graph,
  GraphNoise,
  type HostTensor,
  key,
  rowsFromFeatures,
  sliceRows,
  TrainConfigError,
  type VAE,
} from '@vae/core';
import { applySchema, type CsvTable, DEFAULT_MISSING_TOKENS, readCsvFile } from '@vae/datasets';
import { OrtBackend } from '../backend/ort-backend';
import { writeFileAtomic } from '../checkpoint/atomic';
import { loadRun } from '../run/run-dir';
import { bundleTabularColumns } from './tabular-columns';
import { encoderOf, tabularState } from './tabular-data';

/** `vae impute` settings. */
export interface ImputeCommandOptions {
  /** Run folder of a tabular run. */
  readonly run: string;
  /** Input CSV: the model's columns (others are copied through); missing cells are empty / NA / ... */
  readonly csv: string;
  /** Output CSV (written atomically; may be the input path). */
  readonly out: string;
  /** Importance-weighted posterior samples per row; 0 decodes the posterior mean. Default 100. */
  readonly samples?: number;
  /** Seed of the posterior draws. Default 1. */
  readonly seed?: number;
  readonly threads?: number;
}

/** What `vae impute` did. */
export interface ImputeResult {
  readonly out: string;
  readonly rows: number;
  readonly samples: number;
  /** Cells filled, per model column. */
  readonly imputed: Record<string, number>;
}

/** How missing cells are filled (also the CLI help). */
export const IMPUTE_RULE =
  "each missing cell gets its expected value given the row's observed cells, E[x_mis | x_obs], from --samples draws " +
  'z ~ q(z | x_obs) weighted by p(x_obs | z) p(z) / q(z | x_obs) (self-normalised importance sampling; ' +
  'Mattei & Frellsen 2019); in user units: continuous -> the likelihood mean, un-standardised; ' +
  'categorical -> the most probable category; binary -> the second value when p >= 0.5, else the first; ' +
  'numbers get as many decimals as the training data had (6 significant digits for older runs)';

const BATCH = 256;

/**
 * The imputation graph: the likelihood mean in the encoded space (means, probabilities) averaged
 * over `samples` posterior draws with self-normalised importance weights
 * p(x_obs|z) p(z) / q(z|x_obs), [N, features]. The weights correct the encoder, which was trained on
 * rows that were mostly complete, when many cells are missing. Noise is an input; `samples` 0
 * decodes the posterior mean instead.
 */
export function buildImputeGraph(vae: VAE, samples: number) {
  const s = vae.spec;
  if (s.likelihood.type !== 'tabular') throw new TrainConfigError('vae impute needs a tabular model');
  const g = new Graph(`impute_${samples}`);
  const params = vae.paramInputs(g);
  const x = g.input('x', ['N', ...s.dataShape]);
  const mask = g.input('mask', ['N', s.likelihood.columns.length]);
  const noise = new GraphNoise(g);
  const q = vae.encode(params, { x, mask });
  if (samples === 0) {
    const z = vae.encodeMoments(params, { x, mask }).loc;
    return { graph: g, outputs: { mean: vae.decode(params, z).mean }, noise };
  }
  const z = q.rsample(noise, [samples]);
  const lik = vae.decode(params, z, { mask });
  const logw = lik.logProb(x).add(vae.prior(params, g).logProb(z)).sub(q.logProb(z));
  const w = logw.softmax(0).unsqueeze([2]);
  return { graph: g, outputs: { mean: lik.mean.mul(w).sum([0]) }, noise };
}

/** A CSV cell, quoted when it must be (RFC 4180). */
export const csvCell = (v: string): string =>
  /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;

/**
 * Imputes the missing cells of `--csv` with a tabular run's model and writes `--out`.
 * @throws TrainConfigError for bad flags; RunError for a run that is not tabular; DatasetError when
 *   the CSV cannot be read or does not fit the run's schema (a missing column, an unknown category)
 */
export async function imputeCommand(o: ImputeCommandOptions): Promise<ImputeResult> {
  const samples = o.samples ?? 100;
  const seed = o.seed ?? 1;
  if (!Number.isInteger(samples) || samples < 0)
    throw new TrainConfigError(`--samples must be a non-negative integer, got ${samples}`);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new TrainConfigError(`--seed must be a non-negative integer, got ${seed}`);
  const run = loadRun(o.run);
  const state = tabularState(run.config);
  const encoder = encoderOf(state);
  // Raw cells keep the observed text exactly; the parsed view marks missing tokens as null.
  const raw = await readCsvFile(o.csv, { missing: [], trim: false });
  const missing = new Set(DEFAULT_MISSING_TOKENS);
  const table: CsvTable = {
    ...raw,
    rows: raw.rows.map((r) => r.map((c) => (c === null || missing.has(c.trim()) ? null : c.trim()))),
  };
  const typed = applySchema(table, state.schema);
  const encoded = encoder.encode(typed);
  const n = encoded.count;
  const starts = encoder.encodings.map((e) => e.offset);
  const mask = new Float32Array(n * starts.length);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < starts.length; c++)
      mask[r * starts.length + c] = encoded.mask[r * encoded.width + starts[c]!]!;
  const x: HostTensor = { dtype: 'float32', shape: [n, encoded.width], data: encoded.data };
  const m: HostTensor = { dtype: 'float32', shape: [n, starts.length], data: mask };
  const expected = new Float32Array(n * encoded.width);
  const backend = new OrtBackend({ threads: o.threads });
  try {
    const built = buildImputeGraph(run.vae, samples);
    const graph = await backend.compile('impute', () => built);
    for (let b = 0, from = 0; from < n; b++, from += BATCH) {
      const to = Math.min(n, from + BATCH);
      const feeds = {
        ...run.params,
        ...built.noise.feeds(fold(key(seed), b), { N: to - from }),
        x: sliceRows(x, from, to),
        mask: sliceRows(m, from, to),
      };
      const out = await graph.run(feeds);
      expected.set(out.mean!.data as Float32Array, from * encoded.width);
    }
  } finally {
    await backend.dispose();
  }
  // User units by the mapping bundles and browsers share (numbers with the data's decimals).
  const columns = bundleTabularColumns(state);
  const decoded = rowsFromFeatures(columns, expected);
  const colOf = new Map(state.schema.columns.map((c, i) => [raw.header.indexOf(c.name), i]));
  const imputed: Record<string, number> = Object.fromEntries(state.schema.columns.map((c) => [c.name, 0]));
  const lines = [raw.header.map(csvCell).join(',')];
  raw.rows.forEach((cells, r) => {
    const out = cells.map((cell, j) => {
      const c = colOf.get(j);
      if (c === undefined || !Number.isNaN(typed.columns[c]![r]!)) return cell ?? '';
      const column = columns[c]!;
      imputed[column.name] = (imputed[column.name] ?? 0) + 1;
      return formatTabularValue(column, decoded[r]![column.name]!);
    });
    lines.push(out.map(csvCell).join(','));
  });
  writeFileAtomic(o.out, `${lines.join('\n')}\n`);
  return { out: o.out, rows: n, samples, imputed };
}
