import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError, FileAccessError } from '../errors';
import { readCharCorpus } from './text-node';

describe('readCharCorpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vae-text-'));

  it('reads a UTF-8 word list', async () => {
    const path = join(dir, 'words.txt');
    writeFileSync(path, 'cat\ndog\r\nbird\n');
    const c = await readCharCorpus(path, { maxLen: 8 });
    expect(c.lines).toEqual(['cat', 'dog', 'bird']);
    expect(c.dataset.name).toBe(path);
  });

  it('refuses binary and missing files with one line naming the file', async () => {
    const bin = join(dir, 'x.bin');
    writeFileSync(bin, Uint8Array.from([0x61, 0xff, 0xfe, 0x00]));
    await expect(readCharCorpus(bin, { maxLen: 8 })).rejects.toThrow(DatasetError);
    await expect(readCharCorpus(bin, { maxLen: 8 })).rejects.toThrow(/x\.bin: is not UTF-8 text/);
    const nul = join(dir, 'nul.txt');
    writeFileSync(nul, 'ab\u0000c');
    await expect(readCharCorpus(nul, { maxLen: 8 })).rejects.toThrow(/NUL bytes/);
    await expect(readCharCorpus(join(dir, 'none.txt'), { maxLen: 8 })).rejects.toThrow(FileAccessError);
  });
});
