import type { HostTensor } from '../ir/dtype';
import type { Tensor } from '../ir/tensor';
import {
  checkArgs,
  checkRange,
  type HostMap,
  type LoopUpdate,
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

/**
 * State slot prefix of the first-moment estimates: `adam.m.<param>` (Adam and AdamW). The slot
 * holds torch's `exp_avg` divided by (1 - b1): see {@link adam}.
 */
export const ADAM_M = 'adam.m';
/** State slot prefix of the second-moment estimates: `adam.v.<param>`, torch's `exp_avg_sq` / (1 - b2). */
export const ADAM_V = 'adam.v';

/** Largest factor the loop form may scale the gradients by (its square scales V). */
const MAX_LOOP_SCALE = 2 ** 10;

function make(kind: 'adam' | 'adamw', opts: AdamOptions): Optimizer {
  const { lr, betas = [0.9, 0.999], eps = 1e-8 } = opts;
  const weightDecay = opts.weightDecay ?? (kind === 'adamw' ? 1e-2 : 0);
  const [b1, b2] = betas;
  if (typeof lr === 'number') checkRange('lr', lr, 0);
  checkRange('betas[0]', b1, 0, 1, true);
  checkRange('betas[1]', b2, 0, 1, true);
  checkRange('eps', eps, 0);
  checkRange('weightDecay', weightDecay, 0);

  /**
   * One step on slots scaled by the caller's convention: `M = mDecay M + g`, `V = vDecay V + g^2`
   * (a decay of 1 costs no pass), `p = p - stepSize * M / (sqrt(V) + epsHat)`.
   */
  const adamStep = (
    args: UpdateArgs,
    s: { mDecay: number; vDecay: number; gradScale: Tensor | null },
  ): UpdateResult => {
    const step = checkArgs(args, [ADAM_M, ADAM_V]);
    const g0 = step.graph;
    const rate = lrAt(lr, step);
    const t = step.add(1);
    // Every full-size op costs a pass over the parameter, so constants go into scalars shared by
    // all params. The slots hold M = m / (1 - b1) and V = v / (1 - b2) (torch's m and v), which
    // update as M = b1 M + g and V = b2 V + g^2. With c = sqrt(1 - b2^t), torch's step
    //   lr / (1 - b1^t) * m / (sqrt(v) / c + eps)
    // equals stepSize * M / (sqrt(V) + epsHat) for the scalars below: 10 passes instead of 12.
    const bc2Sqrt = g0.scalar(b2).pow(t).rsub(1).sqrt();
    const stepSize = rate
      .div(g0.scalar(b1).pow(t).rsub(1))
      .mul(bc2Sqrt)
      .mul((1 - b1) / Math.sqrt(1 - b2));
    let epsHat = bc2Sqrt.mul(eps / Math.sqrt(1 - b2));
    // Gradients of a loss scaled by k: M and sqrt(V) both carry the factor k, so epsHat does too.
    if (s.gradScale) epsHat = epsHat.mul(s.gradScale);
    const decay = kind === 'adamw' && weightDecay !== 0 ? rate.mul(weightDecay).rsub(1) : null;
    const l2 = s.gradScale ? s.gradScale.mul(weightDecay) : weightDecay;
    const params: Record<string, Tensor> = {};
    const state: Record<string, Tensor> = { [STEP]: t };
    for (const [name, p0] of Object.entries(args.params)) {
      let g = args.grads[name]!;
      let p = p0;
      if (kind === 'adam' && weightDecay !== 0) g = g.add(p.mul(l2));
      if (decay) p = p.mul(decay); // AdamW: p *= 1 - lr wd, before the Adam step
      const m = args.state[`${ADAM_M}.${name}`]!.mul(s.mDecay).add(g);
      const v0 = args.state[`${ADAM_V}.${name}`]!;
      const v = (s.vDecay === 1 ? v0 : v0.mul(s.vDecay)).add(g.square());
      const denom = v.sqrt().add(epsHat);
      params[name] = p.sub(m.div(denom).mul(stepSize));
      state[`${ADAM_M}.${name}`] = m;
      state[`${ADAM_V}.${name}`] = v;
    }
    return { params, state };
  };

  // The loop form saves V's decay pass. At step i of a loop (0-based) the loss is scaled by
  // k_i = b2^(-(i+1)/2), and the slots hold Mk = k_i M and Vk = k_i^2 V. Then
  //   Vk_i = k_i^2 (b2 V + g^2) = Vk_(i-1) + (k_i g)^2            (no decay pass)
  //   Mk_i = k_i (b1 M + g)     = b1 / sqrt(b2) * Mk_(i-1) + k_i g
  // and M / sqrt(V) = Mk / sqrt(Vk), so the step is the plain one with epsHat scaled by k_i: 9
  // full-size passes per parameter instead of 10. k_0 = 1 at the loop's start, so the plain state
  // enters unchanged; `exit` undoes the scale. k grows over the loop, hence the step limit.
  const lossScale = (i: Tensor) => i.graph.scalar(b2).pow(i.add(1).mul(-0.5));
  const maxSteps = b2 > 0 ? Math.floor((2 * Math.log(MAX_LOOP_SCALE)) / -Math.log(b2)) : 0;
  const inLoop: LoopUpdate | undefined =
    maxSteps > 0
      ? {
          maxSteps,
          lossScale,
          update: (args, i) =>
            adamStep(args, { mDecay: b1 / Math.sqrt(b2), vDecay: 1, gradScale: lossScale(i) }),
          exit(state, n) {
            // Undo k_n: M = Mk b2^(n/2), V = Vk b2^n; the step counter is unscaled.
            const back = {
              [ADAM_M]: n.graph.scalar(b2).pow(n.mul(0.5)),
              [ADAM_V]: n.graph.scalar(b2).pow(n),
            };
            return Object.fromEntries(
              Object.entries(state).map(([name, t]) => {
                const slot = name === STEP ? null : name.startsWith(`${ADAM_M}.`) ? ADAM_M : ADAM_V;
                return [name, slot ? t.mul(back[slot]) : t];
              }),
            );
          },
        }
      : undefined;

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
    update: (args) => adamStep(args, { mDecay: b1, vDecay: b2, gradScale: null }),
    ...(inLoop ? { inLoop } : {}),
  };
}

/**
 * Adam exactly as torch.optim.Adam: `g = grad + wd p`; `m = b1 m + (1 - b1) g`;
 * `v = b2 v + (1 - b2) g^2`; `p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`, t = step + 1.
 * The state stores the moments as `adam.m.<p>` = m / (1 - b1) and `adam.v.<p>` = v / (1 - b2): the
 * same update in two fewer full-size ops per parameter. Multiply by (1 - b1) and (1 - b2) to get
 * torch's `exp_avg` and `exp_avg_sq`.
 *
 * Its {@link Optimizer.inLoop} form, for the steps of one ONNX Loop, saves one more pass per
 * parameter: it asks for the gradients of the loss times `b2^(-(i+1)/2)` at step `i` and carries
 * the slots rescaled by that factor (and its square), which makes V's decay free; after the loop
 * the slots are the plain ones again, and every step's weights are torch's to float32 rounding.
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
