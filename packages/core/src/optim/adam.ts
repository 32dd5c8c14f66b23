import type { HostTensor } from '../ir/dtype';
import type { Tensor } from '../ir/tensor';
import {
  checkArgs,
  checkRange,
  type HostMap,
  type Optimizer,
  STEP,
  stepCounter,
  type UpdateArgs,
  type UpdateResult,
  zerosOf,
} from './optimizer';
import { type LearningRate, lrAt } from './schedule';

/** Settings of {@link adam} and {@link adamw}, as torch.optim.Adam / AdamW (amsgrad off). */
export interface AdamOptions {
  readonly lr: LearningRate;
  /** Default [0.9, 0.999]. */
  readonly betas?: readonly [number, number];
  /** Default 1e-8. */
  readonly eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  readonly weightDecay?: number;
}

/** State slot prefix of the first-moment estimates: `adam.m.<param>` (Adam and AdamW). */
export const ADAM_M = 'adam.m';
/** State slot prefix of the second-moment estimates: `adam.v.<param>`. */
export const ADAM_V = 'adam.v';

function make(kind: 'adam' | 'adamw', opts: AdamOptions): Optimizer {
  const { lr, betas = [0.9, 0.999], eps = 1e-8 } = opts;
  const weightDecay = opts.weightDecay ?? (kind === 'adamw' ? 1e-2 : 0);
  const [b1, b2] = betas;
  if (typeof lr === 'number') checkRange('lr', lr, 0);
  checkRange('betas[0]', b1, 0, 1, true);
  checkRange('betas[1]', b2, 0, 1, true);
  checkRange('eps', eps, 0);
  checkRange('weightDecay', weightDecay, 0);
  return {
    kind,
    initState(params: HostMap): Record<string, HostTensor> {
      const state: Record<string, HostTensor> = { [STEP]: stepCounter() };
      for (const [name, p] of Object.entries(params)) {
        state[`${ADAM_M}.${name}`] = zerosOf(p);
        state[`${ADAM_V}.${name}`] = zerosOf(p);
      }
      return state;
    },
    update(args: UpdateArgs): UpdateResult {
      const step = checkArgs(args, [ADAM_M, ADAM_V]);
      const g0 = step.graph;
      const rate = lrAt(lr, step);
      const t = step.add(1);
      // Scalars shared by all params. torch's m / (sqrt(v) / c + eps) with c = sqrt(1 - b2^t) equals
      // c m / (sqrt(v) + c eps): folding c into the scalars saves one full-size op per parameter.
      const bc2Sqrt = g0.scalar(b2).pow(t).rsub(1).sqrt();
      const stepSize = rate.div(g0.scalar(b1).pow(t).rsub(1)).mul(bc2Sqrt);
      const epsHat = bc2Sqrt.mul(eps);
      const decay = kind === 'adamw' && weightDecay !== 0 ? rate.mul(weightDecay).rsub(1) : null;
      const params: Record<string, Tensor> = {};
      const state: Record<string, Tensor> = { [STEP]: t };
      for (const [name, p0] of Object.entries(args.params)) {
        let g = args.grads[name]!;
        let p = p0;
        if (kind === 'adam' && weightDecay !== 0) g = g.add(p.mul(weightDecay));
        if (decay) p = p.mul(decay); // AdamW: p *= 1 - lr wd, before the Adam step
        const m = args.state[`${ADAM_M}.${name}`]!.mul(b1).add(g.mul(1 - b1));
        const v = args.state[`${ADAM_V}.${name}`]!.mul(b2).add(g.square().mul(1 - b2));
        const denom = v.sqrt().add(epsHat);
        params[name] = p.sub(m.div(denom).mul(stepSize));
        state[`${ADAM_M}.${name}`] = m;
        state[`${ADAM_V}.${name}`] = v;
      }
      return { params, state };
    },
  };
}

/**
 * Adam exactly as torch.optim.Adam: `g = grad + wd p`; `m = b1 m + (1 - b1) g`;
 * `v = b2 v + (1 - b2) g^2`; `p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`, t = step + 1.
 */
export function adam(opts: AdamOptions): Optimizer {
  return make('adam', opts);
}

/**
 * AdamW exactly as torch.optim.AdamW: decoupled decay `p = p (1 - lr wd)` first, then the Adam step
 * on the raw gradient. Default weightDecay 1e-2, as torch.
 */
export function adamw(opts: AdamOptions): Optimizer {
  return make('adamw', opts);
}
