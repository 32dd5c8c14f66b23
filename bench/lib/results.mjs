// The end of every benchmark driver: print a markdown table, record the run's results under its tag
// in the driver's results.json (other tags kept), and remove the work folder unless --keep.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A markdown table: header cells and rows of cells. */
export function markdownTable(head, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * Stores `results` as `file[tag]` (other tags kept; an unreadable file starts afresh), prints the
 * wall time, and deletes `work` unless `keep`.
 */
export function recordResults({ file, tag, results, work, keep }) {
  console.log(`\nwall time ${results.wall_s} s (${work}${keep ? ', kept' : ''})`);
  let all = {};
  try {
    all = JSON.parse(readFileSync(file, 'utf8'));
  } catch {}
  all[tag] = results;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  if (!keep) rmSync(work, { recursive: true, force: true });
}
