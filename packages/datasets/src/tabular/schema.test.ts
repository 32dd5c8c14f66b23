import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SchemaError } from '../errors';
import { parseCsv } from './csv';
import { applySchema, inferSchema, parseNumber } from './schema';

const text = `id,height,smoker,colour,flag
1,1.80,yes,red,0
2,1.65,no,blue,1
3,NA,yes,green,1
4,1.72,,red,0
`;

function schemaFailure(f: () => unknown): SchemaError {
  try {
    f();
  } catch (error) {
    if (error instanceof SchemaError) return error;
    throw error;
  }
  throw new Error('expected a SchemaError');
}

describe('schemas', () => {
  it('parses strict decimal numbers only', () => {
    expect(parseNumber('1.5e3')).toBe(1500);
    expect(parseNumber('-.5')).toBe(-0.5);
    for (const bad of ['0x10', 'Infinity', '1,000', '', '1.2.3', ' 1', 'abc'])
      expect(parseNumber(bad)).toBeUndefined();
  });

  it('infers continuous, binary and categorical columns', () => {
    const table = parseCsv(text, { source: 'people.csv' });
    expect(inferSchema(table).columns).toEqual([
      { name: 'id', kind: 'continuous' },
      { name: 'height', kind: 'continuous' },
      { name: 'smoker', kind: 'binary', values: ['no', 'yes'] },
      { name: 'colour', kind: 'categorical', categories: ['blue', 'green', 'red'] },
      { name: 'flag', kind: 'binary', values: ['0', '1'] },
    ]);
    const typed = applySchema(table, inferSchema(table, { columns: ['height', 'smoker', 'colour'] }));
    expect([...typed.columns[0]!]).toEqual([1.8, 1.65, Number.NaN, 1.72]);
    expect([...typed.columns[1]!]).toEqual([1, 0, 1, Number.NaN]);
    expect([...typed.columns[2]!]).toEqual([2, 0, 1, 2]);
  });

  it('names file, line and column for a non-number in a numeric column', () => {
    const table = parseCsv('a,b\n1,2\n3,4\n5,x7\n', { source: 'nums.csv' });
    const inferred = schemaFailure(() => inferSchema(table));
    expect(inferred).toMatchObject({ problem: 'not-numeric', column: 'b', record: 4 });
    expect(inferred.message).toMatch(/^nums\.csv: line 4, column "b": "x7" is not a number/);
    const given = schemaFailure(() => applySchema(table, { columns: [{ name: 'b', kind: 'continuous' }] }));
    expect(given.message).toBe(
      'nums.csv: line 4, column "b": "x7" is not a number (the column is continuous)',
    );
  });

  it('rejects unknown categories, unknown columns, empty columns and bad schemas', () => {
    const table = parseCsv(text, { source: 'people.csv' });
    expect(
      schemaFailure(() =>
        applySchema(table, {
          columns: [{ name: 'colour', kind: 'categorical', categories: ['red', 'blue'] }],
        }),
      ),
    ).toMatchObject({ problem: 'unknown-category', record: 4 });
    expect(
      schemaFailure(() =>
        applySchema(table, { columns: [{ name: 'smoker', kind: 'binary', values: ['y', 'n'] }] }),
      ),
    ).toMatchObject({ problem: 'not-binary' });
    expect(
      schemaFailure(() => applySchema(table, { columns: [{ name: 'weight', kind: 'continuous' }] })),
    ).toMatchObject({
      problem: 'missing-column',
    });
    expect(schemaFailure(() => inferSchema(parseCsv('a\nNA\n')))).toMatchObject({ problem: 'bad-schema' });
    expect(
      schemaFailure(() =>
        applySchema(table, {
          columns: [
            { name: 'id', kind: 'continuous' },
            { name: 'id', kind: 'continuous' },
          ],
        }),
      ),
    ).toMatchObject({ problem: 'bad-schema' });
  });

  it('any non-number injected into a numeric column is caught, naming its line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc
          .string({ minLength: 1, maxLength: 6 })
          .filter(
            (s) =>
              parseNumber(s.trim()) === undefined &&
              !/[",\n\r]/.test(s) &&
              s.trim() !== '' &&
              !['NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '?'].includes(s.trim()),
          ),
        (values, which, junk) => {
          const cells = values.map(String);
          const r = which % cells.length;
          cells[r] = junk;
          const table = parseCsv(`x\n${cells.join('\n')}\n`, { source: 'fuzz.csv' });
          const e = schemaFailure(() => applySchema(table, { columns: [{ name: 'x', kind: 'continuous' }] }));
          expect(e.record).toBe(r + 2);
          expect(e.column).toBe('x');
        },
      ),
    );
  });
});
