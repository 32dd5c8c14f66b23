#!/usr/bin/env node
// The `vae` CLI. In a source checkout (tsup.config.ts present) it runs the TypeScript sources
// through tsx with the `@vae/source` condition, so no build is needed; installed, it runs dist.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
if (existsSync(here('../tsup.config.ts')) && !process.env.VAE_CLI_DIST) {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@vae/source',
      '--import',
      import.meta.resolve('tsx'),
      here('../src/cli/bin.ts'),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  // Ctrl-C / kill reach the process that trains (it checkpoints atomically, so any moment is safe).
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => child.kill(s));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  const { main } = await import('../dist/cli.js');
  process.exit(await main(process.argv.slice(2)));
}
