import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { TrainConfigError } from '@vae/core';
import { makeDirs } from '../checkpoint/make-dirs';
import { npyBytes } from '../embed/npy-write';

/**
 * Writes `vae score`'s table as it is computed, to a temp file beside `--out` renamed over it at
 * the end (a stopped run leaves no half-written table): `.csv` with a header row, or `.npy`, a
 * float64 array [N, columns] whose column order the command's JSON result lists (no header in
 * the file: NPY has no column names). Missing values (no label) are empty in CSV, NaN in NPY.
 */
export interface ScoreWriter {
  /** Appends rows: `columns[c][r]` is row r's value in column c. */
  write(columns: readonly ArrayLike<number>[]): void;
  /** Finishes the file and moves it into place. */
  close(): void;
  /** Drops the temp file (after an error). */
  abort(): void;
}

/** The output formats, by extension. */
export type ScoreFormat = 'csv' | 'npy';

/** The format `--out` asks for. @throws TrainConfigError for another extension */
export function scoreFormat(out: string): ScoreFormat {
  const ext = extname(out).toLowerCase();
  if (ext === '.csv' || ext === '.npy') return ext.slice(1) as ScoreFormat;
  throw new TrainConfigError(`--out must end in .csv or .npy, got ${JSON.stringify(out)}`);
}

/** A CSV cell: integers as they are, reals to 9 significant digits, NaN empty. */
const cell = (v: number) =>
  Number.isNaN(v) ? '' : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(9)));

/** Opens a writer for `rows` rows of `names` columns at `path` (format by extension). */
export function openScoreWriter(path: string, names: readonly string[], rows: number): ScoreWriter {
  const format = scoreFormat(path);
  makeDirs(dirname(path));
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  const put = (b: Uint8Array) => {
    for (let at = 0; at < b.length; ) at += writeSync(fd, b, at, b.length - at);
  };
  let written = 0;
  put(
    format === 'csv'
      ? Buffer.from(`${names.join(',')}\n`)
      : npyBytes('<f8', [rows, names.length], new Uint8Array(0)),
  );
  let open = true;
  return {
    write(columns) {
      const n = columns[0]?.length ?? 0;
      if (format === 'csv') {
        const lines: string[] = [];
        for (let r = 0; r < n; r++) lines.push(columns.map((c) => cell(c[r]!)).join(','));
        put(Buffer.from(`${lines.join('\n')}\n`));
      } else {
        const block = new Float64Array(n * names.length);
        for (let r = 0; r < n; r++)
          for (let c = 0; c < names.length; c++) block[r * names.length + c] = columns[c]![r]!;
        put(new Uint8Array(block.buffer));
      }
      written += n;
    },
    close() {
      if (written !== rows) throw new Error(`score writer: ${written} rows written, ${rows} declared`);
      fsyncSync(fd);
      closeSync(fd);
      open = false;
      renameSync(tmp, path);
    },
    abort() {
      if (open) closeSync(fd);
      open = false;
      rmSync(tmp, { force: true });
    },
  };
}
