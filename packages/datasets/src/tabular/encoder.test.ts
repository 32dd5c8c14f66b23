import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Batcher } from '../batching/batcher';
import { parseCsv } from './csv';
import { fitTabularEncoder } from './encoder';
import { PENGUINS_SCHEMA, PENGUINS_SPECIES, penguins } from './penguins';
import { applySchema, type TabularSchema } from './schema';
import { labelsFromColumn, tabularDataset } from './tabular-dataset';

describe('TabularEncoder', () => {
  const table = parseCsv('h,c,b\n1,x,n\n3,y,y\n5,z,n\nNA,NA,NA\n', { source: 't.csv' });
  const schema: TabularSchema = {
    columns: [
      { name: 'h', kind: 'continuous' },
      { name: 'c', kind: 'categorical', categories: ['x', 'y', 'z'] },
      { name: 'b', kind: 'binary', values: ['n', 'y'] },
    ],
  };

  it('one-hot encodes with a mask and standardises with training stats', () => {
    const typed = applySchema(table, schema);
    const enc = fitTabularEncoder(typed);
    expect(enc.width).toBe(5);
    expect(enc.featureNames).toEqual(['h', 'c=x', 'c=y', 'c=z', 'b']);
    expect(enc.encodings[0]).toMatchObject({ mean: 3, std: Math.sqrt(8 / 3) });
    const { data, mask } = enc.encode(typed);
    expect([...data.subarray(5, 10)].map((v) => Math.round(v * 1e4) / 1e4)).toEqual([0, 0, 1, 0, 1]);
    expect([...mask.subarray(0, 5)]).toEqual([1, 1, 1, 1, 1]);
    expect([...mask.subarray(15, 20)]).toEqual([0, 0, 0, 0, 0]);
    expect([...data.subarray(15, 20)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('decodes back to rows in user units and imputes only missing cells', () => {
    const typed = applySchema(table, schema);
    for (const categorical of ['one-hot', 'ordinal'] as const) {
      const enc = fitTabularEncoder(typed, { categorical });
      const { data } = enc.encode(typed);
      const rows = enc.decode(data);
      expect(rows[1]![0]).toBeCloseTo(3, 5);
      expect(rows.slice(0, 3).map((r) => r.slice(1))).toEqual([
        ['x', 'n'],
        ['y', 'y'],
        ['z', 'n'],
      ]);
      // A "model output" that says: last row is h=4 (user units), category z, binary y.
      const recon = data.slice();
      const last = enc.encode(applySchema(parseCsv('h,c,b\n4,z,y\n'), schema)).data;
      recon.set(last, 3 * enc.width);
      recon[0] = 99; // observed cell: must be kept, not overwritten
      const imputed = enc.impute(typed, recon);
      expect(imputed[0]).toEqual([1, 'x', 'n']);
      expect(imputed[3]![0]).toBeCloseTo(4, 5);
      expect(imputed[3]!.slice(1)).toEqual(['z', 'y']);
    }
  });

  it('decode(encode(x)) = x for random complete tables', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -1e4, max: 1e4, noNaN: true }),
            fc.constantFrom('x', 'y', 'z'),
            fc.constantFrom('n', 'y'),
          ),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        (records) => {
          const csv = `h,c,b\n${records.map(([h, c, b]) => `${h},${c},${b}`).join('\n')}\n`;
          const typed = applySchema(parseCsv(csv), schema);
          const enc = fitTabularEncoder(typed);
          const rows = enc.decode(enc.encode(typed).data);
          rows.forEach((row, r) => {
            const [h, c, b] = records[r]!;
            expect(Math.abs((row[0] as number) - h)).toBeLessThanOrEqual(
              1e-3 * Math.max(1, Math.abs(h)) + 1e-2,
            );
            expect(row.slice(1)).toEqual([c, b]);
          });
        },
      ),
    );
  });
});

describe('penguins', () => {
  it('ships 344 records with the documented missing cells, and batches with labels and masks', () => {
    const table = penguins();
    expect(table.rows.length).toBe(344);
    expect(table.header).toEqual([
      'species',
      'island',
      'bill_length_mm',
      'bill_depth_mm',
      'flipper_length_mm',
      'body_mass_g',
      'sex',
    ]);
    const typed = applySchema(table, PENGUINS_SCHEMA);
    const missing = typed.columns.map((c) => c.filter(Number.isNaN).length);
    expect(missing).toEqual([0, 2, 2, 2, 2, 11]);
    const { labels, classNames } = labelsFromColumn(table, 'species');
    expect(classNames).toEqual(PENGUINS_SPECIES);
    const counts = [0, 0, 0];
    for (const l of labels) counts[l] = counts[l]! + 1;
    expect(counts).toEqual([152, 68, 124]);
    const enc = fitTabularEncoder(typed);
    expect(enc.width).toBe(3 + 4 + 1);
    expect(enc.encodings[4]!.mean).toBeCloseTo(4201.754, 2); // body mass (g) over the 342 measured
    const ds = tabularDataset(enc.encode(typed), { name: 'penguins', labels, classNames });
    const [batch] = [...new Batcher(ds, { batchSize: 344, key: { seed: 0 } }).epoch(0)];
    expect(batch!.mask!.reduce((s, v) => s + v, 0)).toBe(344 * 8 - 2 * 4 - 11);
  });
});
