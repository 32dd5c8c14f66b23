import type { Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { unitInterval } from './constraints';
import { openUnit, poly, smallBranch, softplus, where } from './math';
import { LogitsDistribution } from './parametric';
import { type DistributionOptions, extendedShape, type Param } from './validate';

const LOG2 = Math.log(2);

/**
 * log C(l) = log(l / tanh(l / 2)), the continuous Bernoulli's log normaliser in logits
 * (C(lambda) = 2 atanh(1 - 2 lambda) / (1 - 2 lambda) with lambda = sigmoid(l)). Even in l.
 * Near l = 0 it is 0/0, so |l| < 0.1 uses log 2 + l^2/12 - 7 l^4/1440 (truncation < 4e-10).
 */
export function cbLogNormalizer(l: Tensor): Tensor {
  return smallBranch(
    l,
    0.1,
    (s) => poly(s.square(), [LOG2, 1 / 12, -7 / 1440]),
    (s) => {
      const a = s.abs();
      return a.div(a.mul(0.5).tanh()).log();
    },
  );
}

/** Inverse CDF at u in (0, 1): log(1 + u (e^l - 1)) / l, with a cumulant series near l = 0. */
function cbIcdf(u: Tensor, l: Tensor): Tensor {
  return smallBranch(
    l,
    0.2,
    // log(1 + u(e^l - 1)) is the Bernoulli(u) cumulant generating function: sum k_n l^n / n!.
    (s) => {
      const k2 = u.mul(u.rsub(1));
      const k3 = k2.mul(u.mul(-2).add(1));
      const q = u.mul(u).sub(u).mul(6); // k4 = k2 (1 + q), k5 = k3 (1 + 2q)
      const k4 = k2.mul(q.add(1));
      const k5 = k3.mul(q.mul(2).add(1));
      const inner = k4.div(24).add(k5.mul(s).div(120));
      return u.add(s.mul(k2.div(2).add(s.mul(k3.div(6).add(s.mul(inner))))));
    },
    // Evaluate at a = -|l| <= 0 (no overflow of e^l) and reflect: F_l^-1(u) = 1 - F_-l^-1(1 - u).
    (s) => {
      const pos = s.greater(0);
      const w = where(pos, u.rsub(1), u);
      const a = s.abs().neg();
      const y = w.rsub(1).add(w.mul(a.exp())).log().div(a);
      return where(pos, y.rsub(1), y);
    },
  );
}

/**
 * Continuous Bernoulli on [0, 1] (Loaiza-Ganem & Cunningham 2019), parameterised by logits: the
 * properly normalised likelihood for grey-level pixels that a Bernoulli decoder only approximates.
 * `logProb(x) = x l - softplus(l) + log C(l)`. Reparameterised through its inverse CDF.
 */
export class ContinuousBernoulli extends LogitsDistribution {
  readonly kind = 'continuous_bernoulli';
  readonly hasRsample = true;

  constructor(logits: Param, opts?: DistributionOptions) {
    super('continuous_bernoulli', logits, opts);
  }

  /** The shape parameter lambda = sigmoid(logits) (not the mean). */
  get probs(): Tensor {
    return this.cached('probs', () => this.logits.sigmoid());
  }

  /** log C(logits), see {@link cbLogNormalizer}. */
  get logNormalizer(): Tensor {
    return this.cached('logC', () => cbLogNormalizer(this.logits));
  }

  override rsample(noise: NoiseSource, sampleShape: Shape = []): Tensor {
    const u = openUnit(noise.uniform(extendedShape(sampleShape, this.batchShape)));
    return cbIcdf(u, this.logits);
  }

  logProb(x: Tensor): Tensor {
    this.checkSupport(x, unitInterval);
    return x.mul(this.logits).sub(softplus(this.logits)).add(this.logNormalizer);
  }

  /**
   * -E[log p(x)] rewritten (with a = |l|) as 1 + softplus(-a) - sigmoid(-a) C - log C, where the
   * large terms of softplus(l) - l E[x] cancel analytically; 0 at l = 0 (the uniform).
   */
  override entropy(): Tensor {
    const a = this.logits.abs();
    const logC = this.logNormalizer;
    return softplus(a.neg()).add(1).sub(a.neg().sigmoid().mul(logC.exp())).sub(logC);
  }

  /**
   * E[x] = 1/2 + (coth(l/2) - 2/l) / 2 (half the Langevin function of l/2); the difference
   * cancels near 0, so |l| < 1 uses its odd series to x^7 (truncation < 3e-8).
   */
  override get mean(): Tensor {
    return this.cached('mean', () =>
      smallBranch(
        this.logits,
        1,
        (s) => {
          const x = s.mul(0.5);
          return poly(x.square(), [1 / 3, -1 / 45, 2 / 945, -1 / 4725])
            .mul(x)
            .mul(0.5)
            .add(0.5);
        },
        (s) => s.mul(0.5).tanh().reciprocal().sub(s.reciprocal().mul(2)).mul(0.5).add(0.5),
      ),
    );
  }

  /**
   * Var[x] = 1/l^2 - sigmoid(l) sigmoid(-l) / tanh(l/2)^2 = (1/x^2 - 1/sinh(x)^2) / 4 with x = l/2;
   * |l| < 1 uses the series of the latter to x^8 (truncation < 1e-8).
   */
  override get variance(): Tensor {
    return this.cached('variance', () =>
      smallBranch(
        this.logits,
        1,
        (s) => poly(s.mul(0.5).square(), [1 / 3, -1 / 15, 2 / 189, -1 / 675, 2 / 10395]).mul(0.25),
        (s) => {
          const t = s.mul(0.5).tanh();
          return s.square().reciprocal().sub(s.sigmoid().mul(s.neg().sigmoid()).div(t.square()));
        },
      ),
    );
  }

  /** The density is monotone: 1 where logits > 0, else 0 (every point is a mode at l = 0). */
  override get mode(): Tensor {
    return this.logits.greater(0).cast('float32');
  }
}

/**
 * KL(p || q) = E_p[x] (l_p - l_q) - softplus(l_p) + softplus(l_q) + log C(l_p) - log C(l_q),
 * since log p - log q is linear in x.
 */
export function klContinuousBernoulli(p: ContinuousBernoulli, q: ContinuousBernoulli): Tensor {
  const [lp, lq] = [p.logits, q.logits];
  return p.mean.mul(lp.sub(lq)).sub(softplus(lp)).add(softplus(lq)).add(p.logNormalizer).sub(q.logNormalizer);
}
