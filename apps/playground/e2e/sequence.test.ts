/**
 * The playground with a text bundle and a series bundle in real headless Chromium, each a tiny run
 * made here with the `vae` CLI (1 epoch): the text view's samples (temperature 1, and greedy) equal what `vae sample
 * --temperature T` prints for the same seed, and the series view's reconstruction of a window equals
 * onnxruntime-node's run of the same bundle's graphs to 1e-4.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './a11y';
import {
  type Browser,
  launch,
  maxAbsDiff,
  onnxruntimeNode,
  openPlayground,
  type Server,
  shot,
  startServer,
} from './harness';
import { repoRoot } from './paths';

const WORDS = 'cat dog bird fish horse mouse sheep goat cow duck frog bear wolf lion tiger'.split(' ');
const SEED = 3;
let tmp: string;
let browser: Browser;
let page: Page;
const servers: Server[] = [];

/** Runs the CLI (one thread) and returns its stdout. */
function vae(...args: string[]): string {
  const r = spawnSync(
    process.execPath,
    [join(repoRoot, 'packages/train-node/bin/vae.mjs'), ...args, '--threads', '1'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`vae ${args.join(' ')} exited ${r.status}\n${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** A sine and a cosine over 400 steps, the series both runs' CSVs hold. */
function seriesCsv(): string {
  const rows = Array.from(
    { length: 400 },
    (_, i) => `${i},${Math.sin(i / 5).toFixed(4)},${(Math.cos(i / 7) * 2 + 1).toFixed(4)}`,
  );
  return `t,a,b\n${rows.join('\n')}\n`;
}

async function open(bundle: string): Promise<void> {
  const server = await startServer(bundle);
  servers.push(server);
  expect(await openPlayground(page, server.url)).toBe(true);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'vae-pg-seq-'));
  writeFileSync(join(tmp, 'words.txt'), `${[...WORDS, ...WORDS, ...WORDS, ...WORDS].join('\n')}\n`);
  writeFileSync(join(tmp, 'series.csv'), seriesCsv());
  const small = ['--epochs', '1', '--batch', '16', '--quiet'];
  vae(
    'train',
    '--dataset',
    join(tmp, 'words.txt'),
    '--text',
    'chars',
    '--max-len',
    '8',
    '--latent',
    '4',
    '--hidden',
    '32',
    '--embed',
    '16',
    ...small,
    '--out',
    join(tmp, 'text'),
  );
  vae('export', '--run', join(tmp, 'text'));
  vae(
    'train',
    '--dataset',
    join(tmp, 'series.csv'),
    '--series',
    'a,b',
    '--window',
    '16',
    '--stride',
    '4',
    '--latent',
    '3',
    '--hidden',
    '8,16',
    ...small,
    '--out',
    join(tmp, 'series'),
  );
  vae('export', '--run', join(tmp, 'series'));
  browser = await launch();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('playground (text bundle)', () => {
  it('samples as vae sample prints (temperature 1 and 0), and interpolates two words', async () => {
    const cli = JSON.parse(
      vae(
        'sample',
        '--run',
        join(tmp, 'text'),
        '--n',
        '8',
        '--seed',
        String(SEED),
        '--temperature',
        '0',
        '--quiet',
      )
        .trim()
        .split('\n')
        .at(-1)!,
    ) as { strings: string[] };
    await open(join(tmp, 'text', 'bundle'));
    expect(await page.locator('.views').isHidden()).toBe(true);
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#text-samples-list')?.dataset.rendered,
    );
    // The first draw, on load: seed 1 at temperature 1, as `vae sample --seed 1` prints.
    const drawn = JSON.parse(
      vae('sample', '--run', join(tmp, 'text'), '--n', '8', '--seed', '1', '--temperature', '1', '--quiet')
        .trim()
        .split('\n')
        .at(-1)!,
    ) as { strings: string[] };
    const first = await page.$$eval('#text-samples-list li', (lis) =>
      lis.map((li) => li.getAttribute('data-value')),
    );
    expect(first).toEqual(drawn.strings);
    await page.fill('#text-seed', String(SEED));
    await page.locator('#text-temperature').fill('0');
    await page.click('#text-sample');
    await page.waitForFunction((s) => {
      const l = document.querySelector<HTMLElement>('#text-samples-list')!;
      return l.dataset.seed === s && l.dataset.temperature === '0';
    }, String(SEED));
    const got = await page.$$eval('#text-samples-list li', (lis) =>
      lis.map((li) => li.getAttribute('data-value')),
    );
    console.log('Chromium greedy:', JSON.stringify(got), '| vae sample:', JSON.stringify(cli.strings));
    expect(got).toEqual(cli.strings);
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('#text-interp-list')?.dataset.rendered,
    );
    expect(await page.locator('#text-interp-list li').count()).toBe(6);
    await shot(page, 'text-view', '.text-views');
    expect(await seriousViolations(page, 'text')).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});

describe('playground (series bundle)', () => {
  it('reconstructs a window as onnxruntime-node does and plots the per-step score', async () => {
    const bundle = join(tmp, 'series', 'bundle');
    await open(bundle);
    expect(await page.locator('.views').isHidden()).toBe(true);
    await page.fill('#series-csv', seriesCsv());
    await page.fill('#series-window', '5');
    await page.click('#series-run');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#series-plots')?.dataset.rendered);
    const data = await page.$eval('#series-plots', (e) => ({ ...(e as HTMLElement).dataset }));
    expect(data.window).toBe('5');
    expect(data.windows).toBe(String(Math.floor((400 - 16) / 4) + 1));
    expect(await page.locator('#series-plots svg').count()).toBe(3);
    const recon = JSON.parse(data.recon!) as number[];
    // The oracle: the same window standardised, encoder -> loc -> decoder -> data mean, back to CSV units.
    const m = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
    const { mean, std, window: W } = m.data.series as { mean: number[]; std: number[]; window: number };
    const start = Number(data.windowStart);
    const rows = seriesCsv()
      .trim()
      .split('\n')
      .slice(1)
      .map((r) => r.split(',').map(Number));
    const x = new Float32Array(2 * W);
    for (let c = 0; c < 2; c++)
      for (let w = 0; w < W; w++) x[c * W + w] = (rows[start + w]![c + 1]! - mean[c]!) / std[c]!;
    const ort = onnxruntimeNode();
    const run = async (file: string, feeds: Record<string, unknown>) => {
      const s = await ort.InferenceSession.create(readFileSync(join(bundle, file)));
      const out = await s.run(feeds);
      await s.release();
      return out;
    };
    const loc = (await run('encoder.onnx', { x: new ort.Tensor('float32', x, [1, 2, W]) })).loc!
      .data as Float32Array;
    const params = (await run('decoder.onnx', { z: new ort.Tensor('float32', loc, [1, loc.length]) })).params!
      .data as Float32Array;
    const dm = (await run(m.graphs.dataMean.file, { params: new ort.Tensor('float32', params, [1, 2, W]) }))
      .mean!.data as Float32Array;
    const want = Array.from(dm, (v, k) => v * std[Math.floor(k / W)]! + mean[Math.floor(k / W)]!);
    const diff = maxAbsDiff(recon, want);
    console.log(`series window 5: Chromium vs onnxruntime-node max abs diff ${diff}`);
    expect(diff).toBeLessThanOrEqual(1e-4);
    await shot(page, 'series-view', '.series-views');
    expect(await seriousViolations(page, 'series')).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
