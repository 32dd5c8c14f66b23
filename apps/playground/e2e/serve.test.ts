/** serve.mjs, the server `npm start` ends in: what it says when its port is taken. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDir } from './paths';

const bundle = mkdtempSync(join(tmpdir(), 'vae-serve-'));
let taken: Server;
let port = 0;

beforeAll(async () => {
  writeFileSync(join(bundle, 'manifest.json'), '{}'); // serve.mjs only checks that it is there
  taken = createServer();
  await new Promise<void>((go) => taken.listen(0, '127.0.0.1', go));
  port = (taken.address() as { port: number }).port;
});
afterAll(() => {
  taken?.close();
  rmSync(bundle, { recursive: true, force: true });
});

function serve(...extra: string[]): Promise<{ code: number; stderr: string }> {
  const args = [join(appDir, 'scripts/serve.mjs'), '--bundle', bundle, '--port', String(port), ...extra];
  return new Promise((resolve) =>
    execFile(process.execPath, args, { timeout: 30_000 }, (e, _out, stderr) =>
      resolve({ code: e ? Number(e.code) : 0, stderr }),
    ),
  );
}

describe('serve.mjs on a port in use', () => {
  it('says so and how to choose another port with the flag', async () => {
    const r = await serve();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `port ${port} on 127.0.0.1 is in use: try --port 0 for any free port, or --port N\n`,
    );
  });

  it('gives the hint of the command that started it (npm start names PORT=...)', async () => {
    const r = await serve('--in-use-hint', 'choose another with PORT=5174 npm start');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `port ${port} on 127.0.0.1 is in use: choose another with PORT=5174 npm start`,
    );
  });
});
