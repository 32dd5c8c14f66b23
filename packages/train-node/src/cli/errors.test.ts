import * as core from '@vae/core';
import { isUserError } from '@vae/core';
import * as datasets from '@vae/datasets';
import { cac } from 'cac';
import { describe, expect, it } from 'vitest';
import * as trainNode from '../index';
import { UsageError } from '../render/errors';
import { BUG_REPORT, formatCliError, oneLine } from './errors';

type ErrorClass = new (...args: never[]) => Error;
const errorClasses = (mod: object) =>
  Object.entries(mod).filter(([, v]) => typeof v === 'function' && v.prototype instanceof Error) as [
    string,
    ErrorClass,
  ][];

/** Every error class train-node exports, classified (a new one must be added here). */
const TRAIN_NODE_ERRORS: Record<string, boolean> = {
  TrainConfigError: true,
  RunError: true,
  RunLockedError: true,
  BundleExistsError: true,
  CheckpointError: true,
  SafetensorsError: true,
  FeedError: true,
  OnnxModelError: true,
  DeviceError: true,
  ProfileFormatError: true,
  NonFiniteLossError: true,
  AnomalyLabelsError: true,
  StandardiseError: true,
  // Owned by the export work (src/export/): an fp32 parity failure is a bug in the export itself.
  ParityError: false,
};

describe('which errors are user-facing', () => {
  it('classifies every error class train-node exports', () => {
    expect(
      errorClasses(trainNode)
        .map(([n]) => n)
        .sort(),
    ).toEqual(Object.keys(TRAIN_NODE_ERRORS).sort());
    for (const [name, C] of errorClasses(trainNode))
      expect([name, isUserError(Object.create(C.prototype))]).toEqual([name, TRAIN_NODE_ERRORS[name]]);
    expect(isUserError(new UsageError('--n must be a positive integer, got 0'))).toBe(true);
  });

  it("recognises every error of @vae/datasets by core's brand, without datasets importing core", () => {
    const classes = errorClasses(datasets);
    expect(classes.length).toBeGreaterThanOrEqual(9);
    for (const [name, C] of classes)
      expect([name, isUserError(Object.create(C.prototype))]).toEqual([name, true]);
    expect(new datasets.IdxFormatError('x.gz', 'truncated', 'ends early')).toBeInstanceOf(core.UserError);
  });

  it('core: user errors vs bugs', () => {
    expect(isUserError(new core.ModelSpecError('latent must be positive'))).toBe(true);
    expect(isUserError(new core.ShapeError('MatMul', '[2, 3] x [4, 5]'))).toBe(true);
    expect(isUserError(new core.MissingRuleError('Foo', 'vjp'))).toBe(false);
    expect(isUserError(new core.IRError('lowerToModel: give the top-level graph'))).toBe(false);
  });
});

describe('formatCliError', () => {
  it('prints a user error as one line, without class name or stack', () => {
    const e = new trainNode.TrainConfigError('--batch must be a number, got "abc"');
    expect(formatCliError(e)).toBe('vae: --batch must be a number, got "abc"');
    expect(formatCliError(new trainNode.RunError('runs/x is not a run folder'))).toBe(
      'vae: runs/x is not a run folder',
    );
    const nan = new trainNode.NonFiniteLossError(12, Number.NaN, null);
    expect(formatCliError(nan)).toMatch(/^vae: loss is NaN at step 12/);
    expect(formatCliError(nan)).not.toContain('NonFiniteLossError');
  });

  it('collapses newlines in messages', () => {
    const e = new core.BundleError(
      'malformed',
      'manifest.json is invalid:\n  - latent: expected a number\n  - dtype: unknown',
    );
    const line = formatCliError(e);
    expect(line).toBe('vae: manifest.json is invalid: latent: expected a number; dtype: unknown');
    expect(oneLine('a\n\nb.\n   c')).toBe('a; b. c');
  });

  it('prints dataset errors, which extend no core class, as user errors', () => {
    const e = new datasets.IdxFormatError(
      '/d/train-images-idx3-ubyte.gz',
      'truncated',
      'file ends after 100 bytes',
    );
    expect(formatCliError(e)).toBe('vae: /d/train-images-idx3-ubyte.gz: file ends after 100 bytes');
  });

  it("maps cac's parse errors to one line that points at the command's help", () => {
    const cacError = (message: string) => Object.assign(new Error(message), { name: 'CACError' });
    expect(formatCliError(cacError('Unknown option `--epoch`'), { command: 'train' })).toBe(
      'vae: unknown option --epoch (vae train --help lists the options)',
    );
    expect(formatCliError(cacError('option `--lr <x>` value is missing'), { command: 'train' })).toBe(
      'vae: --lr needs a value (vae train --help)',
    );
    expect(formatCliError(cacError('missing required args for command `inspect <path>`'))).toBe(
      'vae: vae inspect needs <path> (vae inspect --help)',
    );
    expect(formatCliError(cacError('Unused args: `yes`'), { command: 'train' })).toBe(
      'vae: unexpected argument "yes" (vae train --help)',
    );
  });

  it('the real cac error for an unknown option comes out the same way', () => {
    const cli = cac('vae');
    cli
      .command('train')
      .option('--epochs <n>', 'epochs')
      .action(() => {});
    cli.parse(['node', 'vae', 'train', '--epoch', '3'], { run: false });
    let thrown: unknown;
    try {
      cli.runMatchedCommand();
    } catch (e) {
      thrown = e;
    }
    expect(formatCliError(thrown, { command: 'train' })).toBe(
      'vae: unknown option --epoch (vae train --help lists the options)',
    );
  });

  it("prints Node's errors about a user's path as one line", () => {
    const e = Object.assign(new Error("ENOENT: no such file or directory, open '/no/such/x.png'"), {
      code: 'ENOENT',
      syscall: 'open',
      path: '/no/such/x.png',
      errno: -2,
    });
    expect(formatCliError(e)).toBe('vae: cannot open /no/such/x.png: no such file or directory (ENOENT)');
  });

  it('prints anything else as an internal error with its stack and a request to report it', () => {
    const e = new TypeError("Cannot read properties of undefined (reading 'shape')");
    const text = formatCliError(e);
    const lines = text.split('\n');
    expect(lines[0]).toBe("vae: internal error: Cannot read properties of undefined (reading 'shape')");
    expect(text).toContain('    at ');
    expect(lines.at(-1)).toBe(BUG_REPORT);
    expect(formatCliError(new core.MissingRuleError('Foo', 'vjp'))).toMatch(
      /^vae: internal error: op Foo has no vjp rule\n/,
    );
    expect(formatCliError('a string')).toMatch(/^vae: internal error: a string\n/);
  });
});
