// Serving a bench page with Vite and driving Debian's Chromium with playwright-core: what the browser
// benchmarks (bench/browser/run.ts, bench/browser-train/run.ts) share. Build the page, serve it with
// `vite preview`, launch headless Chromium on a fresh profile, open pages with a fair thread count.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
const viteBin = join(benchDir, 'node_modules', 'vite', 'bin', 'vite.js');

/** Chromium's flags for every bench page: no GPU, no sandbox, no background traffic. */
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `vite build` of the page whose Vite config is `config`; throws if it fails. */
export function buildPage(config: string): void {
  const b = spawnSync(process.execPath, [viteBin, 'build', '--config', config, '--logLevel', 'warn'], {
    stdio: 'inherit',
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  if (b.status !== 0) throw new Error('vite build failed');
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

/** A running `vite preview` of a built page: its base URL, and stop() to end it. */
export interface Preview {
  base: string;
  stop(): void;
}

/** Serves the built page of `config` with `vite preview` on a free port; resolves once index.html answers. */
export async function startPreview(config: string): Promise<Preview> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [viteBin, 'preview', '--config', config, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/index.html`);
      if (r.ok)
        return {
          base,
          stop: () => {
            if (child.pid) process.kill(child.pid);
          },
        };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('vite preview did not start');
}

export interface BrowserOptions {
  /** Prefix of the fresh profile folder under the system's temporary folder. */
  profilePrefix: string;
  /** Flags after BROWSER_ARGS. */
  extraArgs?: readonly string[];
}

/** Runs `fn` in headless /usr/bin/chromium on a fresh profile, closed and deleted afterwards. */
export async function withBrowser<T>(
  opts: BrowserOptions,
  fn: (ctx: BrowserContext) => Promise<T>,
): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), opts.profilePrefix));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...BROWSER_ARGS, ...(opts.extraArgs ?? [])],
  });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * A page whose navigator.hardwareConcurrency reads 4: tfjs-wasm caps its threads at half of it, so
 * without this it runs 1 thread on this 2-core machine whatever it is asked for. Page errors,
 * console errors (but 404s) and failed responses (but the favicon) go to stderr.
 */
export async function newPage(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: 4 });
  page.on('pageerror', (e) => console.error(`  [page error] ${e.message}`));
  page.on(
    'console',
    (m) => m.type() === 'error' && !m.text().includes('404') && console.error(`  [console] ${m.text()}`),
  );
  page.on(
    'response',
    (r) =>
      r.status() >= 400 &&
      !r.url().endsWith('/favicon.ico') &&
      console.error(`  [http ${r.status()}] ${r.url()}`),
  );
  return page;
}
