import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDirs, removeEmptyDirs } from './make-dirs';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));
const fresh = () => {
  root = mkdtempSync(join(tmpdir(), 'vae-make-dirs-'));
  return root;
};

describe('makeDirs', () => {
  it('creates the missing folders and names them, outermost first', () => {
    const r = fresh();
    mkdirSync(join(r, 'a'));
    expect(makeDirs(join(r, 'a', 'b', 'c'))).toEqual([join(r, 'a', 'b'), join(r, 'a', 'b', 'c')]);
    expect(existsSync(join(r, 'a', 'b', 'c'))).toBe(true);
    expect(makeDirs(join(r, 'a', 'b', 'c'))).toEqual([]);
  });

  it('throws, leaving nothing it made, when a file is in the way', () => {
    const r = fresh();
    writeFileSync(join(r, 'file'), 'x');
    expect(() => makeDirs(join(r, 'new', 'file', 'x'))).not.toThrow(); // 'file' under 'new' is new
    expect(() => makeDirs(join(r, 'file', 'x'))).toThrow(/EEXIST|ENOTDIR/);
    expect(existsSync(join(r, 'file', 'x'))).toBe(false);
  });

  it.skipIf(!existsSync('/proc/self'))(
    'fails at once where mkdir answers ENOENT under an existing parent',
    () => {
      // mkdirSync(..., { recursive: true }) loops forever here on Node 20.
      expect(() => makeDirs('/proc/vae-make-dirs/x')).toThrow(/ENOENT.*\/proc\/vae-make-dirs/);
    },
  );
});

describe('removeEmptyDirs', () => {
  it('removes what makeDirs made, stopping at the first folder someone wrote into', () => {
    const r = fresh();
    const made = makeDirs(join(r, 'a', 'b', 'c'));
    writeFileSync(join(r, 'a', 'keep'), 'x');
    removeEmptyDirs(made);
    expect(existsSync(join(r, 'a', 'b'))).toBe(false);
    expect(existsSync(join(r, 'a', 'keep'))).toBe(true);
  });
});
