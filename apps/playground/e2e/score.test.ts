/**
 * `score` in real Chromium (onnxruntime-web wasm, the bundle's exported graphs) equals core's
 * iwaeBound on the reference interpreter with the same noise, for every likelihood and prior the
 * bundle format allows. Fixtures: global-setup.ts (packages/core/src/testing/score-fixtures.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, launch, openPlayground, type Server, startServer } from './harness';

interface ScoreCase {
  name: string;
  files: string[];
  k: number;
  seed: number;
  x: number[];
  c?: number[];
  mask?: number[];
  want: number[];
}

const dir = inject('scoreFixtures');
const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as ScoreCase[];
let server: Server;
let browser: Browser;

beforeAll(async () => {
  server = await startServer(inject('bundles').plain);
  browser = await launch();
  expect(await openPlayground(browser.page, server.url)).toBe(true);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

describe('score in Chromium', () => {
  it('equals core iwaeBound on the interpreter (same noise) to 1e-5 relative, for every likelihood and prior', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
    for (const c of cases) {
      const files = Object.fromEntries(
        c.files.map((f) => [f, readFileSync(join(dir, c.name, f)).toString('base64')]),
      );
      const got = await browser.page.evaluate(
        ({ files, c }) =>
          window.__vae!.score(files, c.x, c.k, c.seed, {
            ...(c.c ? { c: c.c } : {}),
            ...(c.mask ? { mask: c.mask } : {}),
          }),
        { files, c },
      );
      const rel = Math.max(...c.want.map((w, i) => Math.abs(got[i]! - w) / Math.max(1, Math.abs(w))));
      console.log(
        `${c.name}: -log p(x) ${got.map((v) => v.toFixed(3)).join(', ')}; max rel diff vs core ${rel.toExponential(2)}`,
      );
      expect(rel).toBeLessThanOrEqual(1e-5);
    }
    expect(browser.errors).toEqual([]);
  });
});
