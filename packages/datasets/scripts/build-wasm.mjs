#!/usr/bin/env node
// Assembles src/batching/binarize/binarize.wat into binarize-wasm.ts (the module's bytes as base64),
// so the package ships no .wasm file to locate at run time. `--check` exits 1 when the generated
// file is out of date (binarize.test.ts runs the same comparison).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const dir = fileURLToPath(new URL('../src/batching/binarize/', import.meta.url));
const wat = readFileSync(`${dir}binarize.wat`, 'utf8');

/** The generated TypeScript module for a .wat source. */
export async function generate(source) {
  const wabt = await wabtInit();
  const module = wabt.parseWat('binarize.wat', source, { simd: true });
  module.validate();
  const { buffer } = module.toBinary({});
  module.destroy();
  const base64 = Buffer.from(buffer).toString('base64');
  return `// Generated from binarize.wat by scripts/build-wasm.mjs: do not edit.
/** The binarisation kernel's WebAssembly bytes (${buffer.length} bytes), base64. */
export const BINARIZE_WASM_BASE64 =
  '${base64}';
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await generate(wat);
  const target = `${dir}binarize-wasm.ts`;
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== text) {
      console.error(`${target} is out of date: run scripts/build-wasm.mjs`);
      process.exit(1);
    }
  } else writeFileSync(target, text);
}
