import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { MetricsSink } from '@vae/core';
import { writeFileAtomic } from '../checkpoint/atomic';

/**
 * `metrics.jsonl`: one JSON object per line (`type`: 'epoch' | 'summary' | 'error'). Opening it for
 * a resumed run first drops lines past the checkpoint's epoch, so the log matches the weights.
 */
export class MetricsLog implements MetricsSink {
  constructor(
    readonly path: string,
    keepEpochs: number,
  ) {
    if (!existsSync(path)) return;
    const kept = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .filter((l) => {
        try {
          const o = JSON.parse(l) as { type?: string; epoch?: number };
          return o.type === 'epoch' && (o.epoch ?? 0) <= keepEpochs;
        } catch {
          return false; // a torn last line from a kill
        }
      });
    writeFileAtomic(path, kept.map((l) => `${l}\n`).join(''));
  }

  write(line: Record<string, unknown>): void {
    appendFileSync(this.path, `${JSON.stringify(line)}\n`);
  }
}

/** The records of a metrics log's text, and the 1-based numbers of the lines that are not JSON objects. */
export function parseMetrics(text: string): { records: Record<string, unknown>[]; skipped: number[] } {
  const records: Record<string, unknown>[] = [];
  const skipped: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const o: unknown = JSON.parse(line);
      if (o !== null && typeof o === 'object' && !Array.isArray(o))
        return records.push(o as Record<string, unknown>);
    } catch {
      // a torn line (a killed run's last) or damage: reported by number
    }
    skipped.push(i + 1);
  });
  return { records, skipped };
}

/** Reads every record of a metrics log (lines that are not JSON objects are left out: see {@link parseMetrics}). */
export function readMetrics(path: string): Record<string, unknown>[] {
  return existsSync(path) ? parseMetrics(readFileSync(path, 'utf8')).records : [];
}
