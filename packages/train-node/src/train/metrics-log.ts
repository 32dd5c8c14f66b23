import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../checkpoint/atomic';

/**
 * `metrics.jsonl`: one JSON object per line (`type`: 'epoch' | 'summary' | 'error'). Opening it for
 * a resumed run first drops lines past the checkpoint's epoch, so the log matches the weights.
 */
export class MetricsLog {
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

/** Reads every line of a metrics log (skipping torn ones). */
export function readMetrics(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
