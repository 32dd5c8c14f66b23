import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvFormatError, DatasetError } from '../errors';
import { parseCsv } from './csv';

function csvFailure(text: string): CsvFormatError {
  try {
    parseCsv(text, { source: 'people.csv' });
  } catch (error) {
    if (error instanceof CsvFormatError) return error;
    throw error;
  }
  throw new Error('expected a CsvFormatError');
}

describe('parseCsv', () => {
  it('reads quoted fields, CRLF, a BOM, blank lines and missing tokens', () => {
    const table = parseCsv(
      '\ufeffname, age ,note\r\n"Smith, J",42,"said ""hi""\nthen left"\r\n\r\nDoe,NA,\r\n',
      {
        source: 'p.csv',
      },
    );
    expect(table.header).toEqual(['name', 'age', 'note']);
    expect(table.rows).toEqual([
      ['Smith, J', '42', 'said "hi"\nthen left'],
      ['Doe', null, null],
    ]);
    expect(table.lines).toEqual([2, 5]);
  });

  it('honours delimiter and custom missing tokens', () => {
    const table = parseCsv('a;b\n1;-\n', { delimiter: ';', missing: ['-'] });
    expect(table.rows).toEqual([['1', null]]);
  });

  it('reports ragged rows with the line, file and widths', () => {
    const e = csvFailure('a,b,c\n1,2,3\n\n4,5\n6,7,8\n');
    expect(e.problem).toBe('ragged-row');
    expect(e.message).toBe('people.csv: line 4: record has 2 fields, the header has 3');
    expect(e.record).toBe(3);
  });

  it('reports unterminated quotes, empty input and bad headers', () => {
    expect(csvFailure('a,b\n1,"2\n3,4\n')).toMatchObject({ problem: 'malformed' });
    expect(csvFailure('a,b\n1,"2\n3,4\n').message).toMatch(
      /people\.csv: line 2: .*Quoted field unterminated/,
    );
    expect(csvFailure('')).toMatchObject({ problem: 'empty' });
    expect(csvFailure('\n\n')).toMatchObject({ problem: 'empty' });
    expect(csvFailure('a,a\n1,2\n')).toMatchObject({ problem: 'duplicate-header' });
    expect(csvFailure('a,,c\n1,2,3\n')).toMatchObject({ problem: 'malformed' });
  });
});

/** Writes a CSV with RFC 4180 quoting. */
function toCsv(rows: string[][]): string {
  const quote = (s: string) => (/[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s);
  return `${rows.map((r) => r.map(quote).join(',')).join('\n')}\n`;
}

const cell = fc
  .string({ maxLength: 8 })
  .filter((s) => s.trim() === s && s.trim() !== '' && !s.includes('\r'));

describe('parseCsv under random input', () => {
  it('round-trips random rectangular tables', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((w) =>
            fc.tuple(
              fc.uniqueArray(cell, { minLength: w, maxLength: w }),
              fc.array(fc.array(cell, { minLength: w, maxLength: w }), { maxLength: 10 }),
            ),
          ),
        ([header, rows]) => {
          fc.pre(header.length > 0);
          const table = parseCsv(toCsv([header, ...rows]), { missing: [] });
          expect(table.header).toEqual(header);
          expect(table.rows).toEqual(rows);
        },
      ),
    );
  });

  it('a record made shorter or longer is a ragged-row error naming its line', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(),
        fc.boolean(),
        (width, count, which, longer) => {
          const rows = Array.from({ length: count }, (_, r) =>
            Array.from({ length: width }, (_, c) => `v${r}_${c}`),
          );
          const r = which % count;
          rows[r] = longer ? [...rows[r]!, 'extra'] : rows[r]!.slice(0, -1);
          const header = Array.from({ length: width }, (_, c) => `c${c}`);
          const e = csvFailure(toCsv([header, ...rows]));
          expect(e.problem).toBe('ragged-row');
          expect(e.message).toContain(`line ${r + 2}:`);
        },
      ),
    );
  });

  it('arbitrary text never escapes as anything but a table or a DatasetError', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '1', ',', '"', '\n', '\r', ' ', ';', '\ufeff') }),
        (text) => {
          try {
            const table = parseCsv(text, { source: 'fuzz.csv' });
            for (const row of table.rows) expect(row.length).toBe(table.header.length);
          } catch (error) {
            expect(error).toBeInstanceOf(DatasetError);
            expect((error as DatasetError).source).toBe('fuzz.csv');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
