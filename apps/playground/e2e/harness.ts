/** Starting serve.mjs and headless Chromium (as TOOLCHAIN.md says), and reading pixels back. */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { appDir, repoRoot, screenshotDir } from './paths';

export interface Server {
  url: string;
  stop(): void;
}

/** serve.mjs on 127.0.0.1 with a free port (and no bundle when none is given); resolves once it prints its URL. */
export function startServer(bundle?: string): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(appDir, 'scripts/serve.mjs'),
      ...(bundle ? ['--bundle', bundle] : []),
      ...['--port', '0', '--host', '127.0.0.1', '--json'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = () => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`serve.mjs did not start:\n${out}`));
    }, 30_000);
    child.stderr!.on('data', (d) => {
      out += d;
    });
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve({ url: (JSON.parse(line) as { url: string }).url, stop });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited ${code}:\n${out}`));
    });
  });
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** Debian's Chromium, headless, on a fresh profile that close() deletes. */
export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'vae-pg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A served bundle, a browser and its page, as a test file's beforeAll opens them. */
export interface Session {
  server: Server;
  browser: Browser;
  page: Page;
}

/** Opens the playground and waits for the first load; returns whether a model is in use. */
export async function openPlayground(page: Page, url: string): Promise<boolean> {
  await page.goto(url);
  await page.waitForFunction(() => window.__vae !== undefined);
  return page.evaluate(() => window.__vae!.ready);
}

/** RGBA pixels of a canvas (its backing store, exactly as painted); sent as base64, which is fast. */
export async function canvasPixels(
  page: Page,
  selector: string,
  x = 0,
  y = 0,
  w?: number,
  h?: number,
): Promise<number[]> {
  const b64 = await page.evaluate(
    ({ selector, x, y, w, h }) => {
      const c = document.querySelector<HTMLCanvasElement>(selector)!;
      const d = c.getContext('2d')!.getImageData(x, y, w ?? c.width, h ?? c.height).data;
      let s = '';
      for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode(...d.subarray(i, i + 0x8000));
      return btoa(s);
    },
    { selector, x, y, w, h },
  );
  return Array.from(Buffer.from(b64, 'base64'));
}

/** Waits until a canvas has rendered a new frame (its data-rendered counter changed). */
export async function nextRender(page: Page, selector: string, before: string | undefined): Promise<void> {
  await page.waitForFunction(
    ({ selector, before }) => {
      const r = document.querySelector<HTMLElement>(selector)?.dataset.rendered;
      return r !== undefined && r !== before;
    },
    { selector, before },
  );
}

export const rendered = (page: Page, selector: string) =>
  page.evaluate((s) => document.querySelector<HTMLElement>(s)?.dataset.rendered, selector);

/** Variance of the grey (red channel) values of RGBA pixels. */
export function greyVariance(rgba: readonly number[]): number {
  let s = 0;
  let s2 = 0;
  const n = rgba.length / 4;
  for (let i = 0; i < rgba.length; i += 4) {
    s += rgba[i]!;
    s2 += rgba[i]! * rgba[i]!;
  }
  return s2 / n - (s / n) ** 2;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * Saves a PNG of one element (or the page) under e2e/screenshots/, and copies of it under the names
 * in `also` (one picture that two reports name).
 */
export async function shot(page: Page, name: string, selector?: string, ...also: string[]): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
  for (const other of also) copyFileSync(path, join(screenshotDir, `${other}.png`));
  return path;
}

/**
 * onnxruntime-node for parity checks. It is a dependency of @vae/train-node, not of the playground,
 * so it is resolved from there (no extra install).
 */
export function onnxruntimeNode(): OrtNode {
  const require = createRequire(join(repoRoot, 'packages/train-node/package.json'));
  return require('onnxruntime-node') as OrtNode;
}

/** The part of onnxruntime-node's API the parity test uses. */
export interface OrtNode {
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
  InferenceSession: {
    create(
      bytes: Uint8Array,
      opts?: object,
    ): Promise<{
      run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown }>>;
      release(): Promise<void>;
    }>;
  };
}
