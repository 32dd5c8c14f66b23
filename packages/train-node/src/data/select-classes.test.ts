import { TrainConfigError } from '@vae/core';
import type { Dataset } from '@vae/datasets';
import { describe, expect, it, vi } from 'vitest';
import { readConfig } from '../run/run-dir';
import { freshRunDir, tinyTrainOptions, vaeInProcess } from '../run/test-helpers';
import { trainCommand } from '../run/train-command';
import { loadRunData } from './load-data';
import { resolveClasses } from './select-classes';

// What the trainer is handed: the splits it trains and validates on.
const seen = vi.hoisted(() => ({ train: [] as Dataset[], val: [] as (Dataset | undefined)[] }));
vi.mock('../train/trainer', async (importOriginal) => {
  const m = await importOriginal<typeof import('../train/trainer')>();
  return {
    ...m,
    train: (o: Parameters<typeof m.train>[0]) => {
      seen.train.push(o.train);
      seen.val.push(o.val);
      return m.train(o);
    },
  };
});

const labelSet = (ds: Dataset | undefined) => [...new Set(ds?.labels ?? [])].sort((a, b) => a - b);

describe('vae train --classes (the one-class protocol)', () => {
  it('trains and validates on those labels only, records their ids, and keeps the test split whole', async () => {
    const out = freshRunDir('vae-classes-');
    await trainCommand(tinyTrainOptions(out, { hidden: [32], latent: 2, classes: ['3', '7'] }));
    expect(labelSet(seen.train.at(-1))).toEqual([3, 7]);
    expect(labelSet(seen.val.at(-1))).toEqual([3, 7]);
    const config = readConfig(out);
    expect(config.recipe.classes).toEqual([3, 7]);
    const data = await loadRunData(config);
    expect(labelSet(data.train)).toEqual([3, 7]);
    expect(data.train.count).toBe(seen.train.at(-1)!.count);
    expect(labelSet(data.test)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    // --resume: the same classes (as names or ids) are accepted, others refused naming both.
    const again = await vaeInProcess(
      'train',
      '--resume',
      '--out',
      out,
      '--classes',
      '7,3',
      '--epochs',
      '2',
      '--quiet',
    );
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const other = await vaeInProcess(
      'train',
      '--resume',
      '--out',
      out,
      '--classes',
      '3',
      '--epochs',
      '3',
      '--quiet',
    );
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(
      "vae: --classes 3 differs from the run's recipe (classes 3,7); drop the flag or start a new run\n",
    );
  });

  it('takes class names, case-insensitively, and refuses unknown ones with the list of valid ones', () => {
    const names = [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ];
    expect(resolveClasses(['trouser', 'Ankle boot', '8'], names, 10)).toEqual([1, 8, 9]);
    expect(() => resolveClasses(['hat'], names, 10)).toThrow(TrainConfigError);
    expect(() => resolveClasses(['hat'], names, 10)).toThrow(
      '--classes: unknown class "hat"; valid: 0 "T-shirt/top", 1 "Trouser", 2 "Pullover", 3 "Dress", 4 "Coat", 5 "Sandal", 6 "Shirt", 7 "Sneaker", 8 "Bag", 9 "Ankle boot"',
    );
    expect(() => resolveClasses(['10'], null, 10)).toThrow(
      '--classes: unknown class "10"; valid: class ids 0..9',
    );
  });

  it('through the CLI: an unknown class is one line naming the valid ones, and nothing is left behind', async () => {
    const out = freshRunDir('vae-classes-');
    const r = await vaeInProcess('train', '--classes', 'eleven', '--out', out, '--quiet', '--epochs', '1');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('vae: --classes: unknown class "eleven"; valid: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9\n');
    const tab = await vaeInProcess(
      'train',
      '--dataset',
      'penguins',
      '--classes',
      '0',
      '--out',
      out,
      '--quiet',
    );
    expect(tab.stderr).toBe('vae: --classes selects image classes; penguins is tabular: drop --classes\n');
  });
});
