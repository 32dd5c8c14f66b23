#!/usr/bin/env node
// Serves the built playground (apps/playground/dist, built first when missing) and a bundle folder
// at /bundle/, cross-origin isolated (COOP/COEP/CORP) so onnxruntime-web can use threads.
//   node apps/playground/scripts/serve.mjs [--bundle DIR] [--port 5173] [--host 127.0.0.1]
// Without --bundle the page starts with no model (train one in it with "Train here", or drop one).
// --port 0 picks a free port. Prints the URL (and one JSON line with it when --json is given).
// --in-use-hint TEXT replaces "try --port 0" when the port is taken (npm start names PORT=...).
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(appDir, 'dist');

const usage =
  'usage: node apps/playground/scripts/serve.mjs [--bundle DIR] [--port 5173] [--host 127.0.0.1] [--json] [--in-use-hint TEXT]';
let args;
try {
  args = parseArgs({
    options: {
      bundle: { type: 'string' },
      port: { type: 'string', default: '5173' },
      host: { type: 'string', default: '127.0.0.1' },
      json: { type: 'boolean', default: false },
      'in-use-hint': { type: 'string', default: 'try --port 0 for any free port, or --port N' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (e) {
  console.error(`${e.message}\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const bundleDir = args.bundle === undefined ? null : resolve(args.bundle);
if (bundleDir && !existsSync(join(bundleDir, 'manifest.json'))) {
  console.error(`${bundleDir} has no manifest.json: not a bundle folder (vae export writes RUN/bundle)`);
  process.exit(2);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer in [0, 65535], got ${args.port}`);
  process.exit(2);
}

if (!existsSync(join(dist, 'index.html'))) {
  console.error('apps/playground/dist is missing: running vite build…');
  const vite = join(appDir, 'node_modules', '.bin', process.platform === 'win32' ? 'vite.cmd' : 'vite');
  const r = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: appDir, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(join(dist, 'index.html'))) {
    console.error('vite build failed');
    process.exit(1);
  }
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

/** The file a URL path names under root, or null when it escapes root or is not a file. */
function fileUnder(root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const file = resolve(root, `.${rel.startsWith('/') ? rel : `/${rel}`}`);
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return fileUnder(root, join(rel, 'index.html'));
    return st.isFile() ? { file, size: st.size } : null;
  } catch {
    return null;
  }
}

const server = createServer((req, res) => {
  for (const [k, v] of Object.entries(isolation)) res.setHeader(k, v);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const inBundle = path === '/bundle' || path.startsWith('/bundle/');
  if (path === '/bundle') {
    res.writeHead(301, { Location: '/bundle/' }).end();
    return;
  }
  const hit = !inBundle
    ? fileUnder(dist, path)
    : bundleDir
      ? fileUnder(bundleDir, path.slice('/bundle'.length))
      : null;
  if (!hit) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${path}\n`);
    return;
  }
  const hashed = !inBundle && path.startsWith('/assets/');
  res.writeHead(200, {
    'Content-Type': types[extname(hit.file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': hit.size,
    // Hashed assets never change; the page and the bundle can (a new export in place).
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(hit.file)
    .on('error', () => res.destroy())
    .pipe(res);
});

server.on('error', (e) => {
  console.error(
    e.code === 'EADDRINUSE'
      ? `port ${port} on ${args.host} is in use: ${args['in-use-hint']}`
      : `server error: ${e.message}`,
  );
  process.exit(1);
});

server.listen(port, args.host, () => {
  const addr = server.address();
  const host = args.host.includes(':') ? `[${args.host}]` : args.host;
  const url = `http://${host}:${addr.port}/`;
  console.log(
    `vae playground: ${url} (${bundleDir ? `bundle ${bundleDir}` : 'no bundle: train one in the page'})`,
  );
  if (args.json) console.log(JSON.stringify({ url, port: addr.port, pid: process.pid, bundle: bundleDir }));
});

for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => server.close(() => process.exit(0)).closeAllConnections());
