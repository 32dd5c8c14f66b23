// Reading `vae score`'s CSV tables back, for the bench scripts that combine kept scores
// (combine.ts, tune.ts). Each table is read once per process.
import { readFileSync } from 'node:fs';

/** A table's columns by name. */
export type ScoreTable = Record<string, Float64Array>;

/** CSV column of each method (vae score's part columns). */
const COLUMN: Record<string, string> = {
  elbo: 'neg_elbo',
  recon: 'recon',
  kl: 'kl',
  nll: 'nll_iw',
  regret: 'regret',
  latent: 'latent_nll',
};

const cache = new Map<string, ScoreTable>();

/** A kept CSV as columns of numbers (cached: scripts read the same table for several rows). */
export function readScoreTable(file: string): ScoreTable {
  let table = cache.get(file);
  if (!table) {
    const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
    const names = head!.split(',');
    const cols = names.map(() => new Float64Array(rows.length));
    rows.forEach((r, i) => {
      r.split(',').forEach((v, j) => {
        cols[j]![i] = Number(v);
      });
    });
    table = Object.fromEntries(names.map((n, j) => [n, cols[j]!]));
    cache.set(file, table);
  }
  return table;
}

/** The column holding `method`'s score. */
export function methodColumn(table: ScoreTable, method: string, what: string): Float64Array {
  const col = table[COLUMN[method] ?? method];
  if (!col) throw new Error(`${what} has no ${method} column (${Object.keys(table).join(', ')})`);
  return col;
}
