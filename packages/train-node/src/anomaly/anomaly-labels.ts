import { existsSync, readFileSync, statSync } from 'node:fs';
import { UserError } from '@vae/core';
import { parseNpy } from '@vae/datasets';

/** An `--anomaly-labels` file that cannot be used, named with what is wrong and where. */
export class AnomalyLabelsError extends UserError {
  override name = 'AnomalyLabelsError';
}

const FORMS = 'an .npy of N integers, or a text file of N lines, each 0 (normal) or 1 (anomaly)';

/** Values of an `.npy` labels file (one integer per example). */
function npyValues(path: string, bytes: Uint8Array): ArrayLike<number | bigint> {
  let arr: ReturnType<typeof parseNpy>;
  try {
    arr = parseNpy(bytes, path);
  } catch (e) {
    throw new AnomalyLabelsError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (arr.shape.length !== 1 && !(arr.shape.length === 2 && arr.shape[1] === 1))
    throw new AnomalyLabelsError(
      `${path}: an array of shape [${arr.shape.join(', ')}]; --anomaly-labels takes ${FORMS}`,
    );
  return arr.data as ArrayLike<number | bigint>;
}

/** Values of a text labels file: one per non-blank line (a trailing newline is fine). */
function textValues(path: string, text: string): number[] {
  const out: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (line !== '0' && line !== '1')
      throw new AnomalyLabelsError(
        `${path}:${i + 1}: ${JSON.stringify(line.slice(0, 40))} is not 0 or 1 (${FORMS})`,
      );
    out.push(Number(line));
  });
  return out;
}

/**
 * `--anomaly-labels FILE`: one label per scored example, 1 = anomaly, 0 = normal.
 * @param n - the examples scored (the split, or its first `--limit`)
 * @throws AnomalyLabelsError for a missing file, another length than `n`, a value not 0/1, or
 *   labels that are all one kind (AUROC needs both)
 */
export function readAnomalyLabels(path: string, n: number): Uint8Array {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new AnomalyLabelsError(`--anomaly-labels ${path}: no such file`);
  const bytes = readFileSync(path);
  const values = path.toLowerCase().endsWith('.npy')
    ? npyValues(path, bytes)
    : textValues(path, bytes.toString('utf8'));
  if (values.length !== n)
    throw new AnomalyLabelsError(
      `${path} has ${values.length} labels, but ${n} examples are scored (one label per example, in order)`,
    );
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number(values[i]);
    if (v !== 0 && v !== 1)
      throw new AnomalyLabelsError(`${path}: label ${i} is ${v}, not 0 (normal) or 1 (anomaly)`);
    labels[i] = v;
  }
  const anomalies = labels.reduce((s, v) => s + v, 0);
  if (anomalies === 0 || anomalies === n)
    throw new AnomalyLabelsError(
      `${path}: all ${n} labels are ${anomalies === 0 ? '0 (normal)' : '1 (anomaly)'}; AUROC needs both`,
    );
  return labels;
}

/** Anomaly labels of the one-class protocol: every example not of class `normal` is an anomaly. */
export function otherClassLabels(classLabels: ArrayLike<number>, normal: number): Uint8Array {
  return Uint8Array.from({ length: classLabels.length }, (_, i) => (classLabels[i] === normal ? 0 : 1));
}
