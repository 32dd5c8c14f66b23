import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainCommand } from '../run/train-command';

/** A small trained run on the embedded digits (1 epoch, 784-128-4), for tests of eval/export/views. */
export async function tinyRun(extra: { conditional?: boolean } = {}): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'vae-run-')), 'run');
  await trainCommand({
    dataset: 'mnist-default',
    model: 'mlp',
    latent: 4,
    hidden: [128],
    epochs: 1,
    batch: 128,
    lr: 1e-3,
    seed: 1,
    out,
    quiet: true,
    ...extra,
  });
  return out;
}

/** Runs the official ONNX checker (Debian python3-onnx) on files; returns its verdict per file. */
export function onnxCheck(paths: readonly string[]): string[] {
  const py = [
    'import sys, onnx',
    'for p in sys.argv[1:]:',
    '    onnx.checker.check_model(onnx.load(p), full_check=True)',
    '    print("ok")',
  ].join('\n');
  return execFileSync('/usr/bin/python3', ['-c', py, ...paths], { encoding: 'utf8' })
    .trim()
    .split('\n');
}
