import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAccessError, NpyFormatError } from '../errors';
import { loadNpy, loadNpz, readNpyFile } from './npy-node';
import { failure } from './test-helpers';

// Fixtures are written by numpy itself (Debian python3-numpy, for /usr/bin/python3).
const dir = mkdtempSync(join(tmpdir(), 'vae-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PY = `
import numpy as np, sys
d = sys.argv[1]
u8 = (np.arange(5 * 4 * 3) * 37 % 256).astype(np.uint8)
np.save(d + '/u8_2d.npy', u8.reshape(20, 3))
np.save(d + '/u8_3d.npy', u8.reshape(5, 4, 3))
np.save(d + '/f32_4d.npy', (np.arange(2 * 3 * 4 * 5, dtype=np.float32) / 7 - 3).reshape(2, 3, 4, 5))
np.save(d + '/nchw.npy', u8[:2 * 3 * 2 * 5].reshape(2, 3, 2, 5))
np.save(d + '/fortran.npy', np.asfortranarray(u8.reshape(5, 4, 3)))
np.save(d + '/f64.npy', np.linspace(0, 1, 12).reshape(4, 3))
np.save(d + '/be.npy', np.arange(6, dtype='>f4').reshape(3, 2))
np.save(d + '/i64.npy', np.arange(6, dtype=np.int64).reshape(3, 2))
np.save(d + '/labels5.npy', np.array([0, 3, 1, 2, 3], dtype=np.int64))
np.save(d + '/labels4.npy', np.array([0, 1, 1, 0], dtype=np.uint8))
with open(d + '/v2.npy', 'wb') as f:
    np.lib.format.write_array(f, u8.reshape(5, 12), version=(2, 0))
with open(d + '/v3.npy', 'wb') as f:
    np.lib.format.write_array(f, (u8.reshape(5, 12) / 255).astype(np.float32), version=(3, 0))
np.savez(d + '/stored.npz', x=u8.reshape(5, 4, 3), y=np.array([1, 0, 1, 2, 2], dtype=np.int32))
np.savez_compressed(d + '/deflated.npz', x=u8.reshape(5, 4, 3), y=np.array([1, 0, 1, 2, 2]))
np.savez(d + '/nokey.npz', images=u8, targets=u8)
`;

beforeAll(() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', PY, dir], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `writing .npy fixtures needs numpy for /usr/bin/python3: apt-get install python3-numpy (${String(error).slice(0, 200)})`,
    );
  }
});

const u8 = Uint8Array.from({ length: 60 }, (_, i) => (i * 37) % 256);
const at = (name: string) => join(dir, name);

describe('loadNpy (files written by numpy)', () => {
  it('reads uint8 N x D and N x H x W as uint8 with the exact values', async () => {
    const a = await loadNpy(at('u8_2d.npy'));
    expect(a.train.dtype).toBe('uint8');
    expect(a.train.exampleShape).toEqual([3]);
    expect(a.train.data).toEqual(u8);
    expect(a.test).toBeNull();
    expect(a.classNames).toBeNull();
    const b = await loadNpy(at('u8_3d.npy'));
    expect(b.train.count).toBe(5);
    expect(b.train.exampleShape).toEqual([4, 3]);
  });

  it('reads float32 N x H x W x C, and N x C x H x W transposed with channelsFirst', async () => {
    const a = await loadNpy(at('f32_4d.npy'), { channelsFirst: false });
    expect(a.train.dtype).toBe('float32');
    expect(a.train.data).toEqual(
      Float32Array.from({ length: 120 }, (_, i) => Math.fround(Math.fround(i / 7) - 3)),
    );
    const c = await loadNpy(at('nchw.npy'), { channelsFirst: true });
    expect(c.train.exampleShape).toEqual([2, 5, 3]);
    // example 1, h 1, w 4, channel 2 = source [1, 2, 1, 4]
    const src = (n: number, ch: number, h: number, w: number) => u8[((n * 3 + ch) * 2 + h) * 5 + w];
    expect(c.train.get(1).x[(1 * 5 + 4) * 3 + 2]).toBe(src(1, 2, 1, 4));
  });

  it('transposes fortran order, converts float64 with a note, reads versions 2.0 and 3.0', async () => {
    const f = await loadNpy(at('fortran.npy'));
    expect(f.train.data).toEqual(u8);
    const d = await loadNpy(at('f64.npy'));
    expect(d.train.dtype).toBe('float32');
    expect(d.train.data).toEqual(Float32Array.from({ length: 12 }, (_, i) => i / 11));
    expect(d.notes.join()).toMatch(/f64\.npy: float64 values converted to float32/);
    expect((await readNpyFile(at('v2.npy'))).header.version).toEqual([2, 0]);
    const v3 = await loadNpy(at('v3.npy'));
    expect(v3.train.data).toEqual(Float32Array.from(u8, (v) => Math.fround(v / 255)));
  });

  it('takes labels from a separate .npy and checks their length', async () => {
    const a = await loadNpy(at('u8_3d.npy'), { labels: at('labels5.npy') });
    expect([...a.train.labels!]).toEqual([0, 3, 1, 2, 3]);
    expect(a.classNames).toEqual(['0', '1', '2', '3']);
    const e = await failure(loadNpy(at('u8_3d.npy'), { labels: at('labels4.npy') }));
    expect(e.message).toBe(`${at('labels4.npy')}: 4 labels, but ${at('u8_3d.npy')} holds 5 examples`);
  });

  it('refuses big-endian and integer data, naming the dtype and the supported ones', async () => {
    const be = await failure(loadNpy(at('be.npy')));
    expect(be).toBeInstanceOf(NpyFormatError);
    expect(be.message).toMatch(
      /be\.npy: big-endian dtype '>f4'.*supported: uint8 \(\|u1\), float32 \(<f4\), float64 \(<f8\)/,
    );
    expect((await failure(loadNpy(at('i64.npy')))).message).toMatch(
      /int64 \('<i8'\) is not supported for data/,
    );
  });

  it('file errors are FileAccessErrors; an .npz passed as .npy says so', async () => {
    expect(await failure(loadNpy(at('missing.npy')))).toBeInstanceOf(FileAccessError);
    expect(await failure(loadNpy(dir))).toBeInstanceOf(FileAccessError);
    expect((await failure(loadNpy(at('stored.npz')))).message).toMatch(/zip archive: an \.npz file\?/);
  });
});

describe('loadNpz', () => {
  it('reads x and y from np.savez and np.savez_compressed alike', async () => {
    for (const name of ['stored.npz', 'deflated.npz']) {
      const a = await loadNpz(at(name));
      expect(a.train.data).toEqual(u8);
      expect(a.train.exampleShape).toEqual([4, 3]);
      expect([...a.train.labels!]).toEqual([1, 0, 1, 2, 2]);
      expect(a.classNames).toEqual(['0', '1', '2']);
    }
  });

  it('a missing x lists the keys present', async () => {
    const e = await failure(loadNpz(at('nokey.npz')));
    expect(e.message).toMatch(/nokey\.npz: no array 'x' in the archive \(arrays present: images, targets\)/);
    expect((await failure(loadNpz(at('u8_2d.npy')))).message).toMatch(/an \.npy file, not an \.npz/);
  });
});

it('fixtures exist', () => expect(existsSync(at('v3.npy'))).toBe(true));
