// The user-unit mapping on its own: a hand-written column schema, no model.
import { describe, expect, it } from 'vitest';
import { importanceWeightedMean } from './log-weights';
import type { BundleTabularColumn } from './manifest';
import {
  featuresFromRows,
  formatTabularValue,
  rowsFromFeatures,
  TabularRowError,
  tabularWidth,
} from './tabular-rows';

const columns: BundleTabularColumn[] = [
  { name: 'mass', type: 'continuous', offset: 0, mean: 4000, std: 800, decimals: 0 },
  { name: 'island', type: 'categorical', offset: 1, categories: ['Biscoe', 'Dream', 'Torgersen'] },
  { name: 'sex', type: 'binary', offset: 4, values: ['female', 'male'] },
  { name: 'bill', type: 'continuous', offset: 5, mean: 44, std: 5.5 },
  { name: 'flag', type: 'binary', offset: 6, values: ['0', '1'] },
];

describe('featuresFromRows / rowsFromFeatures', () => {
  it('encodes standardised, one-hot and binary features with a per-column mask, and maps them back', () => {
    const rows = [
      { mass: 4800, island: 'Dream', sex: 'male', bill: 49.5, flag: '1' },
      { mass: null, island: '', sex: 'female', flag: 0 }, // bill absent: missing too
    ];
    const { n, x, mask } = featuresFromRows(columns, rows);
    expect(n).toBe(2);
    expect(tabularWidth(columns)).toBe(7);
    expect(Array.from(x.subarray(0, 7))).toEqual([1, 0, 1, 0, 1, 1, 1]);
    expect(Array.from(x.subarray(7))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(mask)).toEqual([1, 1, 1, 1, 1, 0, 0, 1, 0, 1]);
    const back = rowsFromFeatures(columns, x.subarray(0, 7));
    expect(back).toEqual([{ mass: 4800, island: 'Dream', sex: 'male', bill: 49.5, flag: '1' }]);
  });

  it('reads decoded means: arg-max category, binary at p >= 0.5, un-standardised numbers', () => {
    const mean = Float32Array.of(-0.5, 0.2, 0.3, 0.5, 0.49, 0.1, 0.5);
    const [row] = rowsFromFeatures(columns, mean);
    expect(row).toEqual({ mass: 3600, island: 'Torgersen', sex: 'female', bill: row!.bill, flag: '1' });
    expect(row!.bill).toBeCloseTo(44.55, 5); // float32 0.1, un-standardised
  });

  it('refuses unknown columns and categories and non-numbers, naming row and column', () => {
    const bad = (rows: object[], text: RegExp, column?: string) => {
      try {
        featuresFromRows(columns, rows as never);
      } catch (e) {
        expect(e).toBeInstanceOf(TabularRowError);
        expect((e as Error).message).toMatch(text);
        expect((e as TabularRowError).column).toBe(column);
        return;
      }
      throw new Error('expected a TabularRowError');
    };
    bad(
      [{ mass: 1 }, { wings: 2 }],
      /row 1: unknown column "wings" \(the columns are "mass", "island"/,
      'wings',
    );
    bad(
      [{ island: 'Atlantis' }],
      /row 0, column "island": "Atlantis" is not one of "Biscoe", "Dream"/,
      'island',
    );
    bad([{ sex: 'm' }], /column "sex": "m" is not one of "female", "male"/, 'sex');
    bad([{ mass: '4000' }], /column "mass": "4000" is not a finite number/, 'mass');
    bad([{ mass: Number.NaN }], /is not a finite number/, 'mass');
    bad([], /non-empty array/);
    expect(() => rowsFromFeatures(columns, new Float32Array(8))).toThrow(/not a multiple of 7/);
  });
});

describe('formatTabularValue', () => {
  it('writes numbers with the training data decimals, else 6 significant digits', () => {
    expect(formatTabularValue(columns[0]!, 4712.6)).toBe('4713');
    expect(formatTabularValue(columns[0]!, -0.2)).toBe('0');
    expect(formatTabularValue({ ...columns[0]!, decimals: 1 } as BundleTabularColumn, 39.04)).toBe('39.0');
    expect(formatTabularValue(columns[3]!, 44.123456789)).toBe('44.1235');
    expect(formatTabularValue(columns[1]!, 'Dream')).toBe('Dream');
  });
});

describe('importanceWeightedMean', () => {
  it('weights each draw by softmax over k of its log-weight, per example', () => {
    // k = 2 draws, n = 2 examples, width 1: example 0 weights 1:3, example 1 all on the second draw.
    const logw = [Math.log(1), 0, Math.log(3), 50];
    const values = [10, 5, 20, 7];
    const m = importanceWeightedMean(logw, values, 2, 2, 1);
    expect(m[0]).toBeCloseTo(17.5, 5);
    expect(m[1]).toBeCloseTo(7, 5);
  });
});
