import { describe, expect, it } from 'vitest';
import { checkArgv, editDistance, nearest } from './argv';
import { buildCli } from './main';

const cli = buildCli();
const check = (...argv: string[]) => checkArgv(cli, argv);
const refusal = (...argv: string[]) => {
  try {
    check(...argv);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
};

describe('checkArgv', () => {
  it('passes good command lines, joining negative numbers to their flag', () => {
    expect(check('train', '--out', 'runs/a', '--quiet')).toEqual(['train', '--out=runs/a', '--quiet']);
    expect(check('train', '--lr', '-1')).toEqual(['train', '--lr=-1']);
    expect(check('train', '--lr=1e-3')).toEqual(['train', '--lr=1e-3']);
    expect(check('inspect', 'runs/a')).toEqual(['inspect', 'runs/a']);
    expect(check('train', '--epoch', '3', '--help')).toEqual(['train', '--epoch', '3', '--help']);
    expect(check()).toEqual([]);
  });

  it('refuses unknown commands, suggesting the nearest', () => {
    expect(refusal('evall')).toBe(
      'unknown command "evall"; did you mean "eval"? (vae --help lists commands)',
    );
    expect(refusal('frobnicate')).toBe('unknown command "frobnicate" (vae --help lists commands)');
    expect(refusal('--lr', '1')).toMatch(/^unknown option --lr: give a command first/);
  });

  it('refuses unknown options, suggesting the nearest', () => {
    expect(refusal('train', '--epoch', '3')).toBe(
      'unknown option --epoch for vae train; did you mean --epochs? (vae train --help lists the options)',
    );
    expect(refusal('eval', '--version')).toMatch(/^unknown option --version for vae eval/);
    expect(refusal('train', '--zzzzzzzz')).toBe(
      'unknown option --zzzzzzzz for vae train (vae train --help lists the options)',
    );
  });

  it('refuses missing values, repeated flags and values given to boolean flags', () => {
    expect(refusal('train', '--lr')).toBe('--lr needs a value (vae train --help)');
    expect(refusal('train', '--lr', '--quiet')).toBe('--lr needs a value (vae train --help)');
    expect(refusal('train', '--out=')).toBe('--out needs a value (vae train --help)');
    expect(refusal('train', '--batch', '16', '--batch=32')).toBe(
      '--batch is given more than once: give it once',
    );
    expect(refusal('train', '--quiet', '--quiet')).toBe('--quiet is given more than once: give it once');
    expect(refusal('train', '--quiet=yes')).toBe(
      '--quiet takes no value, got --quiet=yes (vae train --help)',
    );
    expect(refusal('train', '--quiet', 'yes')).toBe(
      'unexpected argument "yes": --quiet takes no value (vae train --help)',
    );
    expect(refusal('eval', 'runs/a')).toBe('unexpected argument "runs/a" (vae eval --help)');
    expect(refusal('inspect')).toBe('vae inspect needs <path> (vae inspect --help)');
  });

  it('measures edit distance', () => {
    expect(editDistance('evall', 'eval')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearest('smaple', ['sample', 'eval'])).toBe('sample');
    expect(nearest('xyz', ['sample', 'eval'])).toBeUndefined();
  });
});
