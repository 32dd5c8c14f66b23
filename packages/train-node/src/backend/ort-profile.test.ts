import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Graph, isUserError, loop } from '@vae/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OrtBackend } from './ort-backend';
import { formatProfile, ProfileFormatError, profileFiles, summariseProfile } from './ort-profile';

const dir = mkdtempSync(join(tmpdir(), 'vae-ort-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 3-step Loop whose body runs one MatMul and one Add per step, on a profiling backend. */
async function profiledRuns(prefix: string, runs: number): Promise<void> {
  const backend = new OrtBackend({ threads: 1, profile: prefix });
  const g = new Graph('profiled');
  const w = g.input('w', [4, 4]);
  const x0 = g.input('x', [2, 4]);
  const [[x]] = loop(g, 3, [x0], (_i, [xi]) => ({ carried: [xi!.matmul(w).add(1)] }));
  const compiled = await backend.compile('profiled', () => ({ graph: g, outputs: { y: x! } }));
  const feeds = {
    w: { dtype: 'float32', shape: [4, 4], data: new Float32Array(16).fill(0.5) },
    x: { dtype: 'float32', shape: [2, 4], data: new Float32Array(8).fill(1) },
  } as const;
  for (let r = 0; r < runs; r++) await compiled.run(feeds);
  await backend.dispose();
}

describe('onnxruntime profiles', () => {
  it('counts every Loop-body kernel, by operator type and by node, without the Loop itself', async () => {
    const since = Date.now();
    await profiledRuns(join(dir, 'loop'), 2);
    const files = profileFiles(join(dir, 'loop'), since);
    expect(files).toHaveLength(1);
    const s = summariseProfile(files[0]!);
    expect(s.runs).toBe(2);
    // 2 runs x 3 steps: the body's MatMul and Add each ran 6 times; the Loop is not a row.
    const ops = Object.fromEntries(s.byOp.map((r) => [r.op, r.calls]));
    expect(ops.Loop).toBeUndefined();
    const products = s.byOp.filter((r) => /MatMul|Gemm/.test(r.op));
    expect(products.reduce((a, r) => a + r.calls, 0)).toBe(6);
    expect(s.byOp.reduce((a, r) => a + r.share, 0)).toBeCloseTo(1, 6);
    expect(s.kernelMs).toBeGreaterThan(0);
    expect(s.kernelMs).toBeLessThanOrEqual(s.runMs);
    const step = s.byNode.filter((n) => /MatMul|Gemm|Add/.test(n.op));
    expect(step.length).toBeGreaterThan(0);
    expect(step.every((n) => n.shape === '2x4')).toBe(true);
    expect(formatProfile(s)).toMatch(/2 runs, .* ms in session\.run/);
  });

  it('finds only the files of its prefix written since a time', async () => {
    writeFileSync(join(dir, 'other_1.json'), '[]');
    writeFileSync(join(dir, 'mine_old.txt'), '[]');
    const since = Date.now();
    await profiledRuns(join(dir, 'mine'), 1);
    expect(profileFiles(join(dir, 'mine'), since).map((f) => f.startsWith(join(dir, 'mine_')))).toEqual([
      true,
    ]);
    expect(profileFiles(join(dir, 'mine'), Date.now() + 60_000)).toEqual([]);
  });

  it('refuses a file that is not a profile, in one line naming it', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"not": "a trace"}');
    const e = (() => {
      try {
        summariseProfile(bad);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ProfileFormatError);
    expect(isUserError(e)).toBe(true);
    expect((e as Error).message).toBe(`${bad}: not an onnxruntime profile (expected a JSON array of events)`);
    writeFileSync(bad, 'garbage');
    expect(() => summariseProfile(bad)).toThrow(/not an onnxruntime profile \(/);
  });
});
