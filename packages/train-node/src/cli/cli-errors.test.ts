import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { type Result, vae } from './test-helpers';

// The real `vae` entry, as a user runs it: every bad input must end in ONE line on stderr.
// --quiet: no progress and no summary, so stderr holds nothing but what went wrong.
const TINY = ['--hidden', '32', '--latent', '2', '--epochs', '1', '--quiet'];

const root = mkdtempSync(join(tmpdir(), 'vae-cli-errors-'));
const at = (...p: string[]) => join(root, ...p);
const run = at('run');

beforeAll(async () => {
  const r = await vae(['train', '--dataset', 'mnist-default', ...TINY, '--val', '0', '--out', run]);
  expect(r.stderr).toBe(''); // --quiet (cli-output.test.ts checks what stderr shows without it)
  expect(r.code).toBe(0);
  // A run whose config.json is cut short, and one whose weights are garbage.
  cpSync(run, at('bad-config'), { recursive: true });
  writeFileSync(at('bad-config', 'config.json'), '{"format": "vae-run",');
  cpSync(run, at('bad-weights'), { recursive: true });
  for (const f of ['best.safetensors', 'checkpoint.safetensors'])
    writeFileSync(at('bad-weights', f), 'not a safetensors file');
  cpSync(run, at('bad-checkpoint'), { recursive: true });
  copyFileSync(at('bad-weights', 'checkpoint.safetensors'), at('bad-checkpoint', 'checkpoint.safetensors'));
  // A bundle folder whose manifest.json is not JSON, and an .onnx file that is not ONNX.
  mkdirSync(at('bundle'));
  writeFileSync(at('bundle', 'manifest.json'), '{"format":');
  writeFileSync(at('garbage.onnx'), 'garbage');
  // MNIST-family folders: missing, garbage IDX, truncated gzip.
  mkdirSync(at('empty'));
  mkdirSync(at('garbage', 'mnist'), { recursive: true });
  mkdirSync(at('truncated', 'fashion-mnist'), { recursive: true });
  const idx = gzipSync(
    Buffer.concat([Buffer.from([0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28]), Buffer.alloc(999)]),
  );
  for (const f of [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ]) {
    writeFileSync(at('garbage', 'mnist', f), 'garbage, not IDX');
    writeFileSync(at('truncated', 'fashion-mnist', `${f}.gz`), idx.subarray(0, idx.length - 20));
  }
  writeFileSync(at('ragged.csv'), 'a,b\n1,2\n3,4,5\n');
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Exit 1 and exactly one line `vae: ...` on stderr naming `mentions`: no class name, no stack. */
function expectOneLine(r: Result, ...mentions: string[]): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr.endsWith('\n'), r.stderr).toBe(true);
  const text = r.stderr.slice(0, -1);
  expect(text, r.stderr).not.toContain('\n');
  expect(text).toMatch(/^vae: /);
  expect(text).not.toMatch(/\b[A-Z]\w*Error\b/);
  expect(text).not.toContain('    at ');
  expect(text).not.toContain('internal error');
  for (const m of mentions) expect(text).toContain(m);
}

const CORES = availableParallelism();
// Each its own --out: a run folder is locked while `vae train` writes it.
let outs = 0;
const never = () => at(`never-${outs++}`);
const train = (...args: string[]) => ['train', '--out', never(), ...TINY, ...args];

// Refused before any data is loaded or any training starts: cheap, so each is its own process.
const FLAGS: [string, string[], string[]][] = [
  [
    'unknown command',
    ['evall'],
    ['unknown command "evall"; did you mean "eval"? (vae --help lists commands)'],
  ],
  ['--threads 0', train('--threads', '0'), ['--threads', `1 to ${CORES}`]],
  ['--threads negative', train('--threads', '-1'), ['--threads', 'got -1']],
  ['--threads non-integer', train('--threads', '1.5'), ['--threads', 'got 1.5']],
  ['--threads above the cores', train('--threads', String(CORES + 1)), ['--threads', `got ${CORES + 1}`]],
  [
    '--profile in a missing folder',
    train('--profile', '/no/such/dir/prof'),
    ['--profile', 'folder /no/such/dir does not exist'],
  ],
  ['eval --threads 0', ['eval', '--run', at('run'), '--threads', '0'], ['--threads']],
  ['export --threads -2', ['export', '--run', at('run'), '--threads', '-2'], ['--threads', 'got -2']],
  [
    'export --test-scores -1',
    ['export', '--run', at('run'), '--test-scores', '-1'],
    ['--test-scores', 'an integer >= 0', 'got -1'],
  ],
  ['--checkpoint-every 0', train('--checkpoint-every', '0'), ['--checkpoint-every', 'got 0']],
  ['--checkpoint-every negative', train('--checkpoint-every', '-3'), ['--checkpoint-every', 'got -3']],
  ['--checkpoint-every non-integer', train('--checkpoint-every', '2.5'), ['--checkpoint-every', 'got 2.5']],
  ['--patience with --val 0', train('--patience', '2', '--val', '0'), ['--patience', '--val 0']],
  ['--iwae with --beta', train('--iwae', '4', '--beta', '0.5'), ['--iwae 4', '--beta', 'no KL term']],
  ['--iwae with --free-bits', train('--iwae', '4', '--free-bits', '0.1'), ['--free-bits']],
  ['--iwae with --warmup-epochs', train('--iwae', '4', '--warmup-epochs', '2'), ['--warmup-epochs']],
  ['--batch abc', train('--batch', 'abc'), ['--batch', '"abc"']],
  ['--lr -1', train('--lr', '-1'), ['--lr', 'got -1']],
  ['--latent 0', ['train', '--out', never(), '--latent', '0'], ['--latent', 'got 0']],
  ['--epochs 1.5', ['train', '--out', never(), '--epochs', '1.5'], ['--epochs', 'got 1.5']],
  ['unknown option', train('--epoch', '3'), ['--epoch', 'did you mean --epochs?', 'vae train --help']],
  ['a flag given twice', train('--batch', '16', '--batch', '32'), ['--batch', 'more than once']],
  ['a boolean flag given a value', train('--prefetch=yes'), ['--prefetch takes no value']],
  ['a boolean flag followed by a value', train('--resume', 'no'), ['"no"', '--resume takes no value']],
  ['a missing value', ['train', '--out', never(), '--lr'], ['--lr needs a value']],
  ['a missing argument', ['inspect'], ['vae inspect needs <path>']],
  [
    'no such dataset',
    train('--dataset', 'nosuchthing'),
    ['nosuchthing', 'fashion-mnist, mnist, mnist-default, penguins'],
  ],
  ['no such run', ['eval', '--run', at('nosuch')], [at('nosuch'), 'not a run folder']],
  ['a ragged CSV', train('--dataset', at('ragged.csv')), [at('ragged.csv'), 'line 3']],
  [
    'sample --scale 0',
    ['sample', '--run', at('run'), '--png', at('x.png'), '--scale', '0'],
    ['--scale must be an integer from 1 to 16', 'got 0'],
  ],
  [
    'recon --scale 17',
    ['recon', '--run', at('run'), '--png', at('x.png'), '--scale', '17'],
    ['--scale', 'got 17'],
  ],
  [
    'interp --scale abc',
    ['interp', '--run', at('run'), '--png', at('x.png'), '--scale', 'abc'],
    ['--scale', '"abc"'],
  ],
];

describe.concurrent('vae refuses bad flags with one line', () => {
  it.each(FLAGS)('%s', async (_, args, mentions) => {
    expectOneLine(await vae(args), ...mentions);
  });

  it.skipIf(!existsSync('/proc/self'))('an --out where no folder can be made (it used to hang)', async () => {
    expectOneLine(await vae(['train', '--out', '/proc/vae-run/x', ...TINY]), 'mkdir', '/proc/vae-run');
  });

  it('takes back the parent folders of a fresh --out when the run fails', async () => {
    const out = at('made', 'for', 'ragged');
    expectOneLine(await vae(['train', '--out', out, ...TINY, '--dataset', at('ragged.csv')]), 'line 3');
    expect(existsSync(at('made'))).toBe(false);
  });

  it('says where it looked for missing MNIST files and what to do', async () => {
    const r = await vae(train('--dataset', 'mnist'), { VAE_DATA_DIR: at('empty') });
    expectOneLine(
      r,
      `${at('empty', 'mnist')} (VAE_DATA_DIR): directory does not exist`,
      'set VAE_DATA_DIR=DIR',
    );
    expect(r.stderr).not.toContain('{ dir }');
  });

  it('names a garbage IDX file and a truncated gzip one', async () => {
    expectOneLine(
      await vae(train('--dataset', 'mnist'), { VAE_DATA_DIR: at('garbage') }),
      at('garbage', 'mnist'),
      'IDX',
    );
    expectOneLine(
      await vae(train('--dataset', 'fashion-mnist'), { VAE_DATA_DIR: at('truncated') }),
      at('truncated', 'fashion-mnist'),
      '-ubyte.gz',
    );
  });
});

describe.concurrent('vae refuses damaged or unsuitable runs with one line', () => {
  it('eval --split val of a run trained with --val 0', async () => {
    expectOneLine(
      await vae(['eval', '--run', run, '--split', 'val', '--iw', '0']),
      'no validation data',
      '--val',
    );
  });

  it('a config.json that is not JSON', async () => {
    const r = await vae(['eval', '--run', at('bad-config'), '--iw', '0']);
    expectOneLine(r, `${at('bad-config', 'config.json')} is not valid JSON (`, 'the run folder is damaged');
  });

  it('weights that are not safetensors', async () => {
    expectOneLine(
      await vae(['eval', '--run', at('bad-weights'), '--iw', '0']),
      at('bad-weights', 'best.safetensors'),
    );
  });

  it('a damaged checkpoint on --resume', async () => {
    const r = await vae(['train', '--out', at('bad-checkpoint'), '--resume', '--quiet']);
    expectOneLine(r, at('bad-checkpoint', 'checkpoint.safetensors'));
  });

  it('a manifest.json that is not JSON, and an .onnx file that is not ONNX', async () => {
    expectOneLine(await vae(['inspect', at('bundle')]), at('bundle'), 'manifest.json is not valid JSON');
    expectOneLine(await vae(['inspect', at('garbage.onnx')]), at('garbage.onnx'));
  });
});

describe('help and version', () => {
  it('vae --version and -v print the package version; vae alone prints help', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await vae([flag]);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, `vae ${version}\n`, '']);
    }
    const r = await vae([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ vae <command> [options]');
    expect(r.stderr).toBe('');
  });
});
