import { convVAE28, mlpVAE, TrainConfigError } from '@vae/core';
import { describe, expect, it } from 'vitest';
import { parseDenoise, showDenoise } from './denoise-flag';
import { prepareRun } from './prepare-run';
import { recipeFrom } from './recipe-flags';
import { refuseRecipeChanges } from './resume-checks';
import { freshRunDir, vaeInProcess as vae } from './test-helpers';

describe('--denoise values', () => {
  it('reads gaussian:SIGMA, mask:P and salt-pepper:P, and writes them back canonically', () => {
    expect(parseDenoise('gaussian:0.50')).toEqual({ type: 'gaussian', std: 0.5 });
    expect(parseDenoise('mask:.25')).toEqual({ type: 'mask', rate: 0.25 });
    expect(parseDenoise('salt-pepper:0.1')).toEqual({ type: 'salt-pepper', rate: 0.1 });
    expect(showDenoise(parseDenoise(' gaussian:5e-1 '))).toBe('gaussian:0.5');
  });

  it('refuses anything else in one line naming the flag', () => {
    const cases: [string, string, RegExp][] = [
      [
        'blur:1',
        '--denoise',
        /^--denoise must be gaussian:SIGMA \(SIGMA > 0\), mask:P or salt-pepper:P \(0 < P < 1\); got "blur:1"$/,
      ],
      ['gaussian', '--noise', /^--noise must be gaussian:SIGMA/],
      ['mask:x', '--denoise', /^--denoise must be/],
      ['gaussian:0', '--denoise', /^--denoise gaussian:0: SIGMA must be > 0/],
      ['mask:1', '--noise', /^--noise mask:1: P must lie strictly between 0 and 1/],
      ['salt-pepper:-0.1', '--denoise', /^--denoise salt-pepper:-0.1: P must lie strictly between 0 and 1/],
    ];
    for (const [text, flag, message] of cases) {
      expect(() => parseDenoise(text, flag)).toThrow(TrainConfigError);
      expect(() => parseDenoise(text, flag)).toThrow(message);
    }
  });
});

describe('--denoise in the recipe', () => {
  it('is recorded canonically, absent without the flag, and refused for tabular models', () => {
    expect(recipeFrom({ dataset: 'mnist-default', denoise: 'gaussian:0.50' }).denoise).toBe('gaussian:0.5');
    expect('denoise' in recipeFrom({ dataset: 'mnist-default' })).toBe(false);
    expect(() => recipeFrom({ dataset: 'penguins', denoise: 'mask:0.5' })).toThrow(
      /^--denoise corrupts image pixels, but tabular models see one-hot codes and standardised columns: drop --denoise$/,
    );
  });

  it('--resume refuses another corruption, or one the run did not train with', () => {
    const saved = recipeFrom({ dataset: 'mnist-default', denoise: 'mask:0.5' });
    expect(() => refuseRecipeChanges(saved, { denoise: 'mask:0.50' })).not.toThrow();
    expect(() => refuseRecipeChanges(saved, { denoise: 'gaussian:0.5' })).toThrow(
      "--denoise gaussian:0.5 differs from the run's recipe (denoise mask:0.5); drop the flag or start a new run",
    );
    const plain = recipeFrom({ dataset: 'mnist-default' });
    expect(() => refuseRecipeChanges(plain, { denoise: 'mask:0.5' })).toThrow(
      "--denoise mask:0.5 differs from the run's recipe (denoise none)",
    );
  });

  it('makes the mlp and conv models denoising VAEs, otherwise the same models', async () => {
    const mlp = await prepareRun(recipeFrom({ dataset: 'mnist-default', denoise: 'salt-pepper:0.2' }), null);
    expect(mlp.vae.spec).toEqual({
      ...mlpVAE({ inputSize: 784, hidden: [400], latent: 20 }).spec,
      denoise: { type: 'salt-pepper', rate: 0.2 },
    });
    const conv = await prepareRun(
      recipeFrom({ dataset: 'mnist-default', model: 'conv', denoise: 'gaussian:0.3' }),
      null,
    );
    expect(conv.vae.spec).toEqual({
      ...convVAE28({ latent: 20 }).spec,
      denoise: { type: 'gaussian', std: 0.3 },
    });
  });

  it('the CLI refuses bad values and tabular runs with one line, before anything is created', async () => {
    const out = freshRunDir('vae-denoise-flag-');
    const bad = await vae('train', '--denoise', 'blur:1', '--out', out);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^vae: --denoise must be gaussian:SIGMA [^\n]*\n$/);
    const table = await vae('train', '--dataset', 'penguins', '--denoise', 'mask:0.5', '--out', out);
    expect(table.code).toBe(1);
    expect(table.stderr).toMatch(/^vae: --denoise corrupts image pixels, [^\n]*drop --denoise\n$/);
  });
});
