import { afterEach, describe, expect, it } from 'vitest';
import { Bernoulli } from './bernoulli';
import { Categorical } from './categorical';
import { ContinuousBernoulli } from './continuous-bernoulli';
import { DiscretizedLogistic } from './discretized-logistic';
import { DistributionError } from './errors';
import { Laplace } from './laplace';
import { LogisticNormal } from './logistic-normal';
import { Normal } from './normal';
import { Bench } from './test-helpers';
import { getValidateArgs, setValidateArgs } from './validate';

afterEach(() => setValidateArgs(true));

/** Builds every value-constraint violation that a constant makes visible. */
function violations(b: Bench): (() => unknown)[] {
  const x = b.input('x', [0, 1]);
  return [
    () => new Normal(x, -1),
    () => new Normal(x, b.constant([1, -2])),
    () => new Normal(b.constant([0, Number.NaN]), x),
    () => new Laplace(x, 0),
    () => new LogisticNormal(x, b.constant([1, -1])),
    () => new DiscretizedLogistic(x, -0.5),
    () => Bernoulli.fromProbs(b.constant([0.5, 1.5])),
    () => new Bernoulli(x).logProb(b.constant([0, 2])),
    () => new ContinuousBernoulli(x).logProb(b.constant([0.5, 1.5])),
    () => new Categorical(b.input('l', [0, 0, 0], [1, 3])).logProb(b.constant([3])),
    () => new DiscretizedLogistic(x, 1).logProb(b.constant([-0.1, 0.5])),
    () => new LogisticNormal(b.input('m', [0]), 1).logProb(b.constant([0.7, 0.7], [1, 2])),
  ];
}

describe('argument validation', () => {
  it('constant parameters and values outside their constraints throw DistributionError', () => {
    const b = new Bench();
    for (const build of violations(b)) expect(build).toThrow(DistributionError);
    const x = b.input('y', [0, 1]);
    expect(() => new Normal(x, -1)).toThrow('normal: scale must be > 0, got -1 at index 0');
    expect(() => new Normal(x, b.constant([1, -2]))).toThrow(/scale must be > 0, got -2 at index 1/);
    expect(() => new Categorical(b.input('l2', [0, 0], [1, 2])).logProb(b.constant([2]))).toThrow(
      /an index in 0..1/,
    );
    expect(() => new LogisticNormal(x, 1).logProb(b.constant([0.2, 0.2, 0.2], [1, 3]))).toThrow(
      /open simplex/,
    );
  });

  it('setValidateArgs(false) skips value checks; per-instance validateArgs overrides the default', () => {
    const b = new Bench();
    setValidateArgs(false);
    expect(getValidateArgs()).toBe(false);
    for (const build of violations(b)) expect(build).not.toThrow();
    const x = b.input('y', [0, 1]);
    expect(() => new Normal(x, -1, { validateArgs: true })).toThrow(DistributionError);
    setValidateArgs(true);
    expect(() => new Normal(x, -1, { validateArgs: false })).not.toThrow();
    expect(() => new Normal(x, -1)).toThrow(DistributionError);
  });

  it('values computed at run time are not checked while building', () => {
    const b = new Bench();
    const s = b.input('s', [1, 2]);
    expect(() => new Normal(0, s.neg())).not.toThrow();
  });

  it('shape mismatches always throw, validation on or off', () => {
    const b = new Bench();
    const loc = b.input('loc', [0, 1]);
    const scale = b.input('scale', [1, 1, 1]);
    for (const on of [true, false]) {
      setValidateArgs(on);
      expect(() => new Normal(loc, scale)).toThrow(
        'normal: parameter shapes do not broadcast: loc[2], scale[3]',
      );
      expect(() => new Laplace(loc, scale)).toThrow(DistributionError);
      expect(() => new LogisticNormal(loc, scale)).toThrow(DistributionError);
      expect(() => new DiscretizedLogistic(loc, scale)).toThrow(DistributionError);
    }
    const sym = b.g.input('n', ['N', 2]);
    expect(() => new Normal(sym, b.input('s5', [1, 1, 1, 1, 1]))).toThrow(/loc\[N, 2\]/);
  });

  it('other misuse: no tensor parameter, non-float parameters, symbolic categories, bad bins', () => {
    const b = new Bench();
    expect(() => new Normal(0, 1)).toThrow(/needs at least one Tensor parameter/);
    expect(() => new Bernoulli(b.ints('i', [0, 1]))).toThrow(/logits must be float32, got int64/);
    expect(() => new Categorical(b.g.input('l', [2, 'K']))).toThrow(/static, non-empty last axis/);
    expect(() => new DiscretizedLogistic(b.input('m', [0.5]), 1, { bins: 1 })).toThrow(
      /bins must be an integer >= 2/,
    );
    const e = (() => {
      try {
        new Normal(b.input('z', [0]), -1);
      } catch (err) {
        return err;
      }
    })() as DistributionError;
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DistributionError');
    expect(e.distribution).toBe('normal');
  });
});
