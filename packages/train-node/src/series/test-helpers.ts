// Shared by the series tests: a small synthetic series CSV and a tiny run on it. Test-only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainCommand } from '../run/train-command';

/**
 * A CSV `t,a,b` of `steps` rows: a = sin(t / 5), b = 2 cos(t / 7) + 1, plus a small deterministic
 * wobble so no window repeats exactly.
 */
export function writeSeriesCsv(dir: string, steps = 300, name = 'series.csv'): string {
  const lines = ['t,a,b'];
  for (let t = 0; t < steps; t++)
    lines.push(
      `${t},${(Math.sin(t / 5) + 0.05 * Math.sin(t * 1.7)).toFixed(5)},${(2 * Math.cos(t / 7) + 1).toFixed(5)}`,
    );
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** The options of a tiny series run (window 16, stride 2; conv1d 8,16; 1 epoch). */
export const seriesRunOptions = (csv: string, out: string) => ({
  dataset: csv,
  series: ['a', 'b'],
  window: 16,
  stride: 2,
  hidden: [8, 16],
  latent: 3,
  epochs: 1,
  batch: 16,
  out,
  threads: 1,
  quiet: true,
});

/** A tiny trained series run in a fresh temporary folder: its folder and its CSV. */
export async function tinySeriesRun(): Promise<{ dir: string; csv: string; tmp: string }> {
  const tmp = mkdtempSync(join(tmpdir(), 'vae-series-'));
  const csv = writeSeriesCsv(tmp);
  const dir = join(tmp, 'run');
  await trainCommand(seriesRunOptions(csv, dir));
  return { dir, csv, tmp };
}
