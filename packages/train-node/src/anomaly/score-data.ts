import type { SplitInputs } from '@vae/core';
import { TrainConfigError } from '@vae/core';
import { subsetDataset } from '@vae/datasets';
import { loadRunData, splitInputs } from '../data/load-data';
import { resolveClasses } from '../data/select-classes';
import { embedData } from '../embed/embed-data';
import type { DataInfo, LoadedRun } from '../run/run-dir';
import { otherClassLabels, readAnomalyLabels } from './anomaly-labels';

/** The examples `vae score` scores, with what it knows of them. */
export interface ScoredData {
  readonly inputs: SplitInputs;
  readonly n: number;
  /** Class labels of the scored examples, if the data have them. */
  readonly classLabels: Uint8Array | null;
  /** The dataset scored (the run's own, or `--dataset`), and its class names. */
  readonly dataset: string;
  readonly classNames: readonly string[] | null;
  /** How the examples are fed to the model (the run's way, with `--dataset`'s own pixel scale). */
  readonly info: DataInfo;
}

/**
 * The split scored: the run's own data, or `--dataset D` read and checked as `vae embed` does
 * (embed/embed-data.ts), fed the way `vae eval` feeds the run's data.
 * @throws TrainConfigError for an empty split; embedData's errors for data that do not fit
 */
export async function loadScoreData(
  run: LoadedRun,
  split: 'test' | 'val' | 'train',
  dataset: string | undefined,
  limit: number | undefined,
): Promise<ScoredData> {
  const e = await embedData(run, dataset);
  const { data, dataset: name } = e;
  // embedData feeds embeddings without input noise (grey levels, no dequantisation); a likelihood
  // scores the data as the model's density defines them: binarised or dequantised as the run
  // trained, the way `vae eval` feeds them.
  const own = run.config.data;
  const info: DataInfo = {
    ...e.info,
    binarize: own.binarize,
    dequantize: (own.dequantize ?? false) && e.info.scale === 255,
  };
  const ds = data[split];
  if (ds.count === 0)
    throw new TrainConfigError(
      split === 'val'
        ? `${name} has no validation examples in this run (trained with --val 0): use --split test`
        : `${name} has no ${split} examples to score`,
    );
  const inputs = splitInputs(ds, info, run.vae.spec.condition?.size ?? 0, limit);
  const n = inputs.x!.shape[0]!;
  const classLabels = ds.labels ? ds.labels.subarray(0, n) : null;
  return { inputs, n, classLabels, dataset: name, classNames: data.classNames, info };
}

/** Which scored examples are anomalies, and how the report names the normal ones. */
export function anomalyLabelsFor(
  scored: ScoredData,
  o: { normalClass?: string; anomalyLabels?: string },
): { labels: Uint8Array; normal: string; normalId: number | null } {
  if (o.anomalyLabels !== undefined)
    return {
      labels: readAnomalyLabels(o.anomalyLabels, scored.n),
      normal: `labels from ${o.anomalyLabels}`,
      normalId: null,
    };
  if (!scored.classLabels)
    throw new TrainConfigError(
      `--normal-class needs class labels, but ${scored.dataset} has none: use --anomaly-labels FILE`,
    );
  const max = scored.classLabels.reduce((m, v) => Math.max(m, v), 0);
  const [id] = resolveClasses([o.normalClass!], scored.classNames, max + 1, '--normal-class');
  const name = scored.classNames?.[id!];
  const normal = `class ${id}${name !== undefined && name !== String(id) ? ` (${name})` : ''}`;
  return { labels: otherClassLabels(scored.classLabels, id!), normal, normalId: id! };
}

/**
 * The normal validation examples a threshold is chosen on and combinations are standardised on:
 * the run's validation split, its examples of the normal class with `--normal-class`, all of it
 * with `--anomaly-labels` (a one-class run's validation split holds normal data only). When another
 * dataset is scored (`--dataset`), only a `--classes` run's validation split is known to be normal,
 * and all of it is taken. null, with the reason, when none.
 */
export async function normalValidation(
  run: LoadedRun,
  normalId: number | null,
  otherDataset = false,
): Promise<{ inputs: SplitInputs | null; note?: string }> {
  if (otherDataset && !run.config.recipe.classes)
    return {
      inputs: null,
      note: 'with --dataset, only a run trained with --classes has a validation split known to be normal',
    };
  const normal = otherDataset ? null : normalId;
  let val = (await loadRunData(run.config)).val;
  if (val.count === 0) return { inputs: null, note: `${run.dir} has no validation split (--val 0)` };
  if (normal !== null) {
    if (!val.labels) return { inputs: null, note: `${run.dir}'s validation split has no labels` };
    const idx: number[] = [];
    val.labels.forEach((l, i) => {
      if (l === normal) idx.push(i);
    });
    if (idx.length === 0)
      return { inputs: null, note: `${run.dir}'s validation split has no examples of the normal class` };
    val = subsetDataset(val, idx, `${val.name}/normal`);
  }
  return { inputs: splitInputs(val, run.config.data, run.vae.spec.condition?.size ?? 0) };
}
