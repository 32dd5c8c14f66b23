import { fold, key, uniform } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { grad } from '../autodiff/grad';
import type { HostTensor } from '../ir/dtype';
import { interpret } from '../ir/interpret';
import type { Tensor } from '../ir/tensor';
import { relError, runOrt } from '../testing/harness';
import { Bernoulli } from './bernoulli';
import { Categorical } from './categorical';
import { ContinuousBernoulli } from './continuous-bernoulli';
import { DiscretizedLogistic } from './discretized-logistic';
import { kl } from './kl';
import { Laplace } from './laplace';
import { LogisticNormal } from './logistic-normal';
import { MixtureSameFamily } from './mixture-same-family';
import { Normal } from './normal';
import { Bench } from './test-helpers';

const N = 8;
/** A [N, d] float input (symbolic batch dim) fed with uniform values on [lo, hi). */
function batchInput(b: Bench, name: string, d: number, lo: number, hi: number, seed: number): Tensor {
  const t = b.g.input(name, ['N', d]);
  b.feeds[name] = {
    dtype: 'float32',
    shape: [N, d],
    data: uniform(fold(key(77), seed), N * d, { low: lo, high: hi }),
  };
  return t;
}

describe('distribution graphs lower to ONNX and agree with the interpreter on onnxruntime-node', () => {
  it('log-probs, entropies, moments, KLs and samples of every distribution (symbolic batch)', async () => {
    const b = new Bench();
    const mu = batchInput(b, 'mu', 4, -2, 2, 1);
    const lv = batchInput(b, 'lv', 4, -3, 2, 2);
    const x = batchInput(b, 'x', 4, 0.01, 0.99, 3);
    const logits = batchInput(b, 'logits', 4, -6, 6, 4);
    // logits around 0 so the ContinuousBernoulli series branches run too
    const small = batchInput(b, 'small', 4, -0.3, 0.3, 5);
    const idx = b.g.input('idx', ['N'], 'int64');
    b.feeds.idx = {
      dtype: 'int64',
      shape: [N],
      data: BigInt64Array.from({ length: N }, (_, i) => BigInt(i % 4)),
    };
    const noise = b.noise;

    const post = Normal.fromLogVar(mu, lv).toEvent(1);
    const prior = new Normal(b.g.scalar(0), 1).toEvent(0);
    const priorVec = new Normal(b.constant([0, 0, 0, 0]), b.constant([1, 1, 1, 1])).toEvent(1);
    const bern = new Bernoulli(logits).toEvent(1);
    const cb = new ContinuousBernoulli(small.add(logits.mul(x.less(0.5).cast('float32'))));
    const cat = new Categorical(logits);
    const lap = new Laplace(mu, lv.exp());
    const ln = new LogisticNormal(mu, lv.mul(0.5).exp());
    const simplex = x.softmax(-1);
    const pad = b.g.apply1('Concat', [simplex.mul(0.5), simplex.slice([0], [1], [1]).mul(0).add(0.5)], {
      axis: 1,
    });
    const mog = new MixtureSameFamily(
      b.constant([0.1, -0.3, 0.4]),
      new Normal(
        b.constant([-1, 0, 1, 2, 0, 0, 0, 0, 1, -1, 1, -1], [3, 4]),
        b.constant([1, 0.5, 2, 1, 1, 1, 1, 1, 0.3, 0.3, 0.3, 0.3], [3, 4]),
      ).toEvent(1),
    );
    const pix = new DiscretizedLogistic(x, lv.mul(0.5).exp().mul(0.05));
    const pixels = x.mul(255).floor().div(255);

    const outs: Record<string, Tensor> = {
      normalLogProb: post.logProb(x),
      normalEntropy: post.entropy(),
      normalKL: kl(post, priorVec),
      normalRsample: post.rsample(noise, [2]),
      priorLogProb: prior.logProb(mu),
      bernLogProb: bern.logProb(x.greater(0.5).cast('float32')),
      bernEntropy: bern.entropy(),
      bernKL: kl(bern, new Bernoulli(mu).toEvent(1)),
      cbLogProb: cb.logProb(x),
      cbMean: cb.mean,
      cbVariance: cb.variance,
      cbEntropy: cb.entropy(),
      cbRsample: cb.rsample(noise),
      catLogProb: cat.logProb(idx),
      catEntropy: cat.entropy(),
      catKL: kl(cat, new Categorical(mu)),
      lapLogProb: lap.logProb(x),
      lapKL: kl(lap, new Laplace(0, lv.exp().add(1))),
      lapRsample: lap.rsample(noise),
      lnLogProb: ln.logProb(pad),
      lnRsample: ln.rsample(noise),
      mogLogProb: mog.logProb(mu),
      pixLogProb: pix.logProb(pixels),
      pixMean: pix.mean,
      pixEntropy: pix.entropy(),
    };
    const names = Object.keys(outs);
    const tensors = Object.values(outs);
    const feeds: Record<string, HostTensor> = b.allFeeds(5, { N });
    const ours = interpret(b.g, tensors, feeds);
    const theirs = await runOrt(b.g, tensors, feeds);
    // Relative to max(|v|, 0.1): a value near 0 that is a difference of O(1..10) float32 terms (e.g.
    // x l - softplus(l) + log C) carries an absolute rounding of ~1e-7 on any runtime.
    const worst = names.map((name, i) => [name, relError(theirs[i]!, ours[i]!, 0.1)] as const);
    for (const [name, err] of worst) expect(err, name).toBeLessThanOrEqual(1e-5);
  });

  it('gradients of a training-style loss through every likelihood and KL lower and agree', async () => {
    const b = new Bench();
    const mu = batchInput(b, 'mu', 4, -2, 2, 1);
    const lv = batchInput(b, 'lv', 4, -3, 2, 2);
    const x = batchInput(b, 'x', 4, 0.01, 0.99, 3);
    const logits = batchInput(b, 'logits', 4, -0.5, 0.5, 4);
    const post = Normal.fromLogVar(mu, lv).toEvent(1);
    const z = post.rsample(b.noise);
    const pixels = x.mul(255).floor().div(255);
    const loss = [
      kl(post, new Normal(0, b.constant([1, 1, 1, 1])).toEvent(1)),
      new Bernoulli(z.add(logits)).toEvent(1).logProb(x.greater(0.5).cast('float32')),
      new ContinuousBernoulli(logits.mul(z)).toEvent(1).logProb(x),
      DiscretizedLogistic.fromLogScale(z.sigmoid(), lv.mul(0.5).sub(3)).toEvent(1).logProb(pixels),
      new Laplace(z, lv.exp()).toEvent(1).logProb(x),
      new LogisticNormal(z, lv.mul(0.5).exp()).logProb(
        b.g.apply1('Concat', [x.mul(0.1), x.sum([1], true).mul(-0.1).add(1)], { axis: 1 }),
      ),
      new Categorical(z.mul(logits)).logProb(z.slice([0], [1], [1]).squeeze([1]).greater(0).cast('int64')),
    ]
      .reduce((acc, t) => acc.add(t))
      .mean();
    const grads = grad(loss, [mu, lv, logits]);
    const feeds = b.allFeeds(3, { N });
    const outs = [loss, ...grads];
    const ours = interpret(b.g, outs, feeds);
    const theirs = await runOrt(b.g, outs, feeds);
    ours.forEach((t, i) => expect(relError(theirs[i]!, t, 0.1), `output ${i}`).toBeLessThanOrEqual(1e-5));
    expect((ours[1]!.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  it('discrete samplers (Gumbel-max, thresholding, rounding) give identical draws', async () => {
    const b = new Bench();
    const logits = batchInput(b, 'logits', 5, -3, 3, 9);
    const loc = batchInput(b, 'loc', 5, 0, 1, 10);
    const mog = new MixtureSameFamily(logits.slice([0], [3], [1]), new Normal(loc.slice([0], [3], [1]), 0.1));
    const outs = [
      new Categorical(logits).sample(b.noise, [16]).cast('float32'),
      new Bernoulli(logits).sample(b.noise, [4]),
      new DiscretizedLogistic(loc, 0.05).sample(b.noise, [4]),
      mog.sample(b.noise, [4]),
    ];
    const feeds = b.allFeeds(12, { N });
    const ours = interpret(b.g, outs, feeds);
    const theirs = await runOrt(b.g, outs, feeds);
    ours.forEach((t, i) => expect(relError(theirs[i]!, t, 0.1), `output ${i}`).toBe(0));
  });
});
