import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as everything from './index';
import * as pure from './pure';

const here = dirname(fileURLToPath(import.meta.url));

/** Every source file reachable from `entry` through relative imports. */
function reachable(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const m of text.matchAll(/from '(\.[^']+)'/g)) reachable(`${resolve(dirname(entry), m[1]!)}.ts`, seen);
  return seen;
}

describe('entry points', () => {
  it('the pure entry imports no Node built-ins, directly or indirectly', () => {
    const files = reachable(join(here, 'pure.ts'));
    expect(files.size).toBeGreaterThan(10);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/from 'node:|require\(/);
  });

  it('the main entry re-exports everything in the pure entry', () => {
    for (const name of Object.keys(pure)) expect(everything, name).toHaveProperty(name);
    expect(typeof everything.fashionMnist).toBe('function');
    expect(typeof everything.mnistDefault).toBe('function');
  });
});
