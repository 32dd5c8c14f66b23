import { readCsvFile } from '@vae/datasets';
import { AnomalyLabelsError } from '../anomaly/anomaly-labels';

/**
 * `vae score --anomaly-labels FILE.csv` on a series run: a CSV with columns `step` (the row of the
 * series, 0-based, as `vae score --out` writes it) and `label` (1 anomaly, 0 normal); other columns
 * (e.g. inject.py's `kind`) are ignored. Every scored step needs a label; steps outside the scored
 * period may be there too.
 * @returns one label per step of [from, to)
 * @throws AnomalyLabelsError naming the file, and the line or step at fault
 */
export async function readStepLabels(path: string, from: number, to: number): Promise<Uint8Array> {
  const table = await readCsvFile(path);
  const col = (name: string) => {
    const i = table.header.indexOf(name);
    if (i < 0)
      throw new AnomalyLabelsError(
        `${path}: no "${name}" column; --anomaly-labels on a series run takes a CSV with columns step,label`,
      );
    return i;
  };
  const [si, li] = [col('step'), col('label')];
  const labels = new Uint8Array(to - from).fill(255);
  table.rows.forEach((row, r) => {
    const step = Number(row[si]);
    const label = Number(row[li]);
    if (row[si] === null || row[li] === null || !Number.isSafeInteger(step) || (label !== 0 && label !== 1))
      throw new AnomalyLabelsError(
        `${path}: line ${table.lines[r]}: step ${JSON.stringify(row[si])}, label ${JSON.stringify(row[li])}; want an integer step and a label 0 or 1`,
      );
    if (step >= from && step < to) labels[step - from] = label;
  });
  const missing = labels.indexOf(255);
  if (missing >= 0)
    throw new AnomalyLabelsError(
      `${path}: no label for step ${from + missing}; the scored steps are ${from}..${to - 1}, each needs one`,
    );
  const anomalies = labels.reduce((a, v) => a + v, 0);
  if (anomalies === 0 || anomalies === labels.length)
    throw new AnomalyLabelsError(
      `${path}: all ${labels.length} scored steps are labelled ${anomalies === 0 ? '0 (normal)' : '1 (anomaly)'}; AUROC needs both`,
    );
  return labels;
}
