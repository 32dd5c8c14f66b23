import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvFormatError, FileAccessError } from '../errors';
import { readCsvFile } from './csv-node';

const dir = mkdtempSync(join(tmpdir(), 'vae-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readCsvFile', () => {
  it('reads a file and names it in errors', async () => {
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'a,b\n1,2\n');
    expect((await readCsvFile(good)).rows).toEqual([['1', '2']]);
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(ragged, 'a,b\n1,2\n3\n');
    await expect(readCsvFile(ragged)).rejects.toThrow(CsvFormatError);
    await expect(readCsvFile(ragged)).rejects.toThrow(
      `${ragged}: line 3: record has 1 fields, the header has 2`,
    );
    await expect(readCsvFile(join(dir, 'missing.csv'))).rejects.toThrow(FileAccessError);
    await expect(readCsvFile(join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: file not found/);
  });
});
