import { TrainConfigError } from '@vae/core';
import { type Dataset, subsetDataset } from '@vae/datasets';
import type { RunData } from './run-data';

/**
 * `vae train --classes c[,c2]`: the one-class protocol (Golan & El-Yaniv 2018, Ruff et al. 2018)
 * trains on the training images of chosen classes only; the test split stays whole, so a scorer
 * sees every class. Validation is the held-out training examples of the same classes.
 */

/** The valid ways to name a class, for messages: `0 T-shirt/top, 1 Trouser, ...` or `0..9`. */
function validList(classNames: readonly string[] | null, count: number): string {
  if (!classNames) return `class ids 0..${count - 1}`;
  return classNames.map((n, i) => (n === String(i) ? n : `${i} "${n}"`)).join(', ');
}

/**
 * Class ids (sorted, unique) for `--classes` tokens: each a class name (case-insensitive) or an
 * integer id. `labelCount` bounds the ids when the data have labels but no names; `flag` names the
 * option in messages.
 * @throws TrainConfigError naming the unknown token and listing the valid ones
 */
export function resolveClasses(
  tokens: readonly string[],
  classNames: readonly string[] | null,
  labelCount: number,
  flag = '--classes',
): number[] {
  const count = classNames?.length ?? labelCount;
  if (count === 0)
    throw new TrainConfigError(`${flag} selects labelled classes, but these data have no labels`);
  const ids = new Set<number>();
  for (const raw of tokens) {
    const t = raw.trim();
    const byName = classNames?.findIndex((n) => n.toLowerCase() === t.toLowerCase()) ?? -1;
    const id = byName >= 0 ? byName : /^\d+$/.test(t) ? Number(t) : -1;
    if (id < 0 || id >= count)
      throw new TrainConfigError(
        `${flag}: unknown class ${JSON.stringify(t)}; valid: ${validList(classNames, count)}`,
      );
    ids.add(id);
  }
  if (ids.size === 0)
    throw new TrainConfigError(`${flag} needs at least one class (${validList(classNames, count)})`);
  return [...ids].sort((a, b) => a - b);
}

/** The examples of `ds` whose label is one of `ids` (in order). */
export function onlyClasses<D extends Dataset>(ds: D, ids: readonly number[]): D {
  const labels = ds.labels;
  if (!labels) throw new TrainConfigError(`--classes selects labelled classes, but ${ds.name} has no labels`);
  const keep = new Set(ids);
  const idx: number[] = [];
  for (let i = 0; i < labels.length; i++) if (keep.has(labels[i]!)) idx.push(i);
  return subsetDataset(ds, idx, ds.name) as D;
}

/** The largest label + 1 in a dataset (0 without labels). */
function labelCount(ds: Dataset): number {
  let max = -1;
  for (const l of ds.labels ?? []) if (l > max) max = l;
  return max + 1;
}

/**
 * A run's data restricted to `classes` (names or ids as typed, or ids as a recipe saved them) in
 * its training and validation splits; the test split is left whole. Returns the ids too.
 * @throws TrainConfigError for unknown classes, unlabelled data, or a class with no training examples
 */
export function keepClasses(
  data: RunData,
  classes: readonly (string | number)[],
): { data: RunData; ids: number[] } {
  const ids = resolveClasses(classes.map(String), data.classNames, labelCount(data.train));
  const train = onlyClasses(data.train, ids);
  if (train.count === 0)
    throw new TrainConfigError(`--classes ${ids.join(',')}: no training examples have these labels`);
  const val = data.val.count > 0 ? onlyClasses(data.val, ids) : data.val;
  if (data.val.count > 0 && val.count === 0)
    throw new TrainConfigError(
      `--classes ${ids.join(',')}: none of the ${data.val.count} validation examples has these labels; give a larger --val, or --val 0`,
    );
  return { data: { ...data, train, val }, ids };
}
