import type { HostTensor } from '../ir/dtype';
import type { Tensor } from '../ir/tensor';
import {
  checkArgs,
  checkRange,
  type HostMap,
  type Optimizer,
  OptimizerError,
  STEP,
  stepCounter,
  type UpdateArgs,
  type UpdateResult,
  zerosOf,
} from './optimizer';
import { type LearningRate, lrAt } from './schedule';

/** Settings of {@link sgd}, as torch.optim.SGD. */
export interface SgdOptions {
  readonly lr: LearningRate;
  /** Default 0 (no momentum buffer). */
  readonly momentum?: number;
  /** Default 0. */
  readonly dampening?: number;
  /** Default false; needs momentum > 0 and dampening 0. */
  readonly nesterov?: boolean;
  /** L2 penalty added to the gradient; default 0. */
  readonly weightDecay?: number;
}

/** State slot prefix of the momentum buffers: `sgd.momentum.<param>`. */
export const SGD_MOMENTUM = 'sgd.momentum';

/**
 * Stochastic gradient descent exactly as torch.optim.SGD:
 * `g = grad + wd p`; with momentum, `b = g` on the first step and `b = mu b + (1 - dampening) g`
 * after; `d = nesterov ? g + mu b : b` (or `g` without momentum); `p = p - lr d`.
 */
export function sgd(opts: SgdOptions): Optimizer {
  const { lr, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0 } = opts;
  if (typeof lr === 'number') checkRange('lr', lr, 0);
  checkRange('momentum', momentum, 0);
  checkRange('dampening', dampening, 0, 1);
  checkRange('weightDecay', weightDecay, 0);
  if (nesterov && (momentum <= 0 || dampening !== 0))
    throw new OptimizerError('nesterov momentum requires momentum > 0 and dampening = 0');
  const slots = momentum > 0 ? [SGD_MOMENTUM] : [];
  return {
    kind: 'sgd',
    initState(params: HostMap): Record<string, HostTensor> {
      const state: Record<string, HostTensor> = { [STEP]: stepCounter() };
      for (const [name, p] of Object.entries(params))
        if (momentum > 0) state[`${SGD_MOMENTUM}.${name}`] = zerosOf(p);
      return state;
    },
    update(args: UpdateArgs): UpdateResult {
      const step = checkArgs(args, slots);
      const rate = lrAt(lr, step);
      // the buffer starts at zero, so mu*b vanishes on step one; only the (1 - dampening) factor
      // needs the first-step case: c = 1 then, 1 - dampening after
      const c =
        momentum > 0 && dampening !== 0
          ? step
              .less(0.5)
              .cast('float32')
              .mul(dampening)
              .add(1 - dampening)
          : null;
      const params: Record<string, Tensor> = {};
      const state: Record<string, Tensor> = { [STEP]: step.add(1) };
      for (const [name, p] of Object.entries(args.params)) {
        let g = args.grads[name]!;
        if (weightDecay !== 0) g = g.add(p.mul(weightDecay));
        let d = g;
        if (momentum > 0) {
          const key = `${SGD_MOMENTUM}.${name}`;
          const buf = args.state[key]!.mul(momentum).add(c ? g.mul(c) : g);
          state[key] = buf;
          d = nesterov ? g.add(buf.mul(momentum)) : buf;
        }
        params[name] = p.sub(d.mul(rate));
      }
      return { params, state };
    },
  };
}
