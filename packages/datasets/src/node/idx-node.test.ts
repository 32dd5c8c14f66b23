import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, FileAccessError, IdxFormatError } from '../errors';
import { encodeIdx } from '../idx/idx-format';
import { readIdxFile, readIdxStream } from './idx-node';
import { failure } from './test-helpers';

const dir = mkdtempSync(join(tmpdir(), 'vae-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const images = encodeIdx({
  dtype: 'uint8',
  shape: [3, 4, 5],
  data: Uint8Array.from({ length: 60 }, (_, i) => (i * 37) % 256),
});

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('readIdxFile', () => {
  it('reads plain and gzip files (detected by content, not name)', async () => {
    const plain = await readIdxFile(file('a.idx', images));
    const gz = await readIdxFile(file('b-not-named-gz', gzipSync(images)));
    expect(plain.shape).toEqual([3, 4, 5]);
    expect([...gz.data]).toEqual([...plain.data]);
    expect(plain.data[59]).toBe((59 * 37) % 256);
  });

  it('reports a missing file, a directory, truncation, bad gzip and bad magic with the path', async () => {
    const missing = await failure(readIdxFile(join(dir, 'nope.gz')));
    expect(missing).toBeInstanceOf(FileAccessError);
    expect((missing as FileAccessError).code).toBe('ENOENT');
    expect(missing.message).toBe(`${join(dir, 'nope.gz')}: file not found`);

    mkdirSync(join(dir, 'sub'));
    expect(await failure(readIdxFile(join(dir, 'sub')))).toBeInstanceOf(FileAccessError);

    const truncPlain = file('t.idx', images.subarray(0, 40));
    const e1 = await failure(readIdxFile(truncPlain));
    expect(e1).toMatchObject({ problem: 'truncated', source: truncPlain });
    expect(e1.message).toMatch(/need 76 bytes in all, but the file has 40/);

    const gz = gzipSync(images);
    const truncGz = file('t.gz', gz.subarray(0, gz.length - 12));
    expect(await failure(readIdxFile(truncGz))).toMatchObject({ problem: 'truncated', source: truncGz });

    // A complete gzip stream whose payload is short: the IDX check catches it.
    const shortPayload = file('short.gz', gzipSync(images.subarray(0, 50)));
    expect((await failure(readIdxFile(shortPayload))).message).toMatch(/only 34 follow the header/);

    const badCrc = gz.slice();
    badCrc[badCrc.length - 6] = badCrc[badCrc.length - 6]! ^ 0xff;
    expect(await failure(readIdxFile(file('crc.gz', badCrc)))).toBeInstanceOf(IdxFormatError);

    const notIdx = file('text.idx', new TextEncoder().encode('hello world, not idx'));
    expect(await failure(readIdxFile(notIdx))).toMatchObject({ problem: 'bad-magic' });

    const extra = file('extra.gz', gzipSync(Buffer.concat([images, Buffer.from([1, 2, 3])])));
    expect(await failure(readIdxFile(extra))).toMatchObject({ problem: 'trailing-data' });
  });

  it('refuses an absurd header inside gzip before allocating', async () => {
    const header = Uint8Array.of(0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x10);
    const path = file('huge.gz', gzipSync(header));
    expect(await failure(readIdxFile(path))).toMatchObject({ problem: 'too-large', source: path });
  });

  it('streams: any async iterable of chunks', async () => {
    async function* chunks() {
      for (let i = 0; i < images.length; i += 7) yield images.subarray(i, i + 7);
    }
    const parsed = await readIdxStream(chunks(), 'stream');
    expect(parsed.shape).toEqual([3, 4, 5]);
  });
});

describe('readIdxFile under random gzip corruption', () => {
  const gz = gzipSync(images);

  it('a flipped or truncated gzip file is a typed error or the exact original, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(gz.length - 1),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        async (at, xor, truncate) => {
          const bytes = truncate ? gz.subarray(0, at) : gz.slice();
          if (!truncate) bytes[at] = bytes[at]! ^ xor;
          const path = file('fuzz.gz', bytes);
          try {
            const parsed = await readIdxFile(path);
            // Only possible when the corruption hit a byte gzip ignores (e.g. header flags/mtime).
            expect([...parsed.data]).toEqual([...images.subarray(16)]);
          } catch (error) {
            expect(error).toBeInstanceOf(DatasetError);
            expect((error as DatasetError).source).toBe(path);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
