#!/usr/bin/env node
// The `vae` CLI. Installed, it runs dist. In a source checkout (tsup.config.ts present) it runs the
// TypeScript sources in this same process, as `node --conditions=@vae/source --import tsx` would:
// tsx's hooks, plus a resolve hook that adds the `@vae/source` condition (workspace packages
// resolve to their src). No child process, so nothing can outlive this one: a `kill -9` of it ends
// the training, and Ctrl-C / SIGTERM reach the trainer directly (it stops at a step boundary with a
// checkpoint).
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
if (existsSync(here('../tsup.config.ts')) && !process.env.VAE_CLI_DIST) {
  await import('tsx');
  // Registered after tsx, so it runs first (hooks chain last-in, first-out) and tsx resolves with it.
  const addCondition = `export async function resolve(specifier, context, next) {
    const c = context.conditions ?? [];
    return next(specifier, c.includes('@vae/source') ? context : { ...context, conditions: [...c, '@vae/source'] });
  }`;
  register(`data:text/javascript,${encodeURIComponent(addCondition)}`);
  // Worker threads (the training data worker) take their node options from process.execArgv:
  // give them the options this process would have had on the command line.
  process.execArgv.push('--conditions=@vae/source', '--import', import.meta.resolve('tsx'));
  await import('../src/cli/bin.ts');
} else {
  const { main } = await import('../dist/cli.js');
  process.exit(await main(process.argv.slice(2)));
}
