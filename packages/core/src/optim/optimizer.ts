import { UserError } from '../errors/user-error';
import type { HostTensor } from '../ir/dtype';
import { formatShape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';

/** Named tensors of a graph (parameters, gradients, optimizer state). */
export type TensorMap = Readonly<Record<string, Tensor>>;
/** Named host tensors (initial parameters and state, checkpoints). */
export type HostMap = Readonly<Record<string, HostTensor>>;

/** What an optimizer step reads: current parameters, their gradients, and the optimizer state. */
export interface UpdateArgs {
  readonly params: TensorMap;
  readonly grads: TensorMap;
  readonly state: TensorMap;
}

/** What an optimizer step builds: next parameters and next state, keyed as the inputs. */
export interface UpdateResult {
  readonly params: Record<string, Tensor>;
  readonly state: Record<string, Tensor>;
}

/**
 * An optimizer as a graph transform. State is plain named tensors (e.g. `adam.m.enc.0.weight`) plus
 * a float32 scalar `step` (updates done so far), so it can be carried through a Loop and checkpointed.
 */
export interface Optimizer {
  readonly kind: 'sgd' | 'adam' | 'adamw';
  /** Initial state for `params` (zeros, `step` = 0). */
  initState(params: HostMap): Record<string, HostTensor>;
  /** Builds one update step's ops. */
  update(args: UpdateArgs): UpdateResult;
  /**
   * A cheaper form of the same update for the steps of one loop (an ONNX Loop running several
   * steps per call), when the optimizer has one. Absent: loops call {@link Optimizer.update}.
   */
  readonly inLoop?: LoopUpdate;
}

/**
 * The update of an {@link Optimizer} over the steps of one loop, free to carry its state in a
 * rescaled form between the loop's start and end, and to ask for the gradients of a scaled loss:
 * both let it fold constants into scalars and skip full-size passes over the parameters.
 *
 * Contract, for steps `i = 0 .. n-1` of a loop that starts from the plain state:
 * differentiate `lossScale(i) * loss` (so `grads` arrive multiplied by it), call `update(args, i)`
 * with the state the previous step returned, and after the loop `exit(state, n)` gives the plain
 * state that `n` calls of {@link Optimizer.update} would have left (equal up to float rounding).
 * The parameters are the plain ones at every step.
 */
export interface LoopUpdate {
  /** The most steps one loop may run (the rescaled state grows with the loop's length). */
  readonly maxSteps: number;
  /** What to multiply the loss by at step `i` (a float32 scalar, 0-based within the loop). */
  lossScale(i: Tensor): Tensor;
  /** Step `i` of the loop, on gradients of the scaled loss and the loop's form of the state. */
  update(args: UpdateArgs, i: Tensor): UpdateResult;
  /** The plain state after `n` steps (a float32 scalar) of the loop, from the loop's form of it. */
  exit(state: TensorMap, n: Tensor): Record<string, Tensor>;
}

/** Bad optimizer settings, or params/grads/state that do not line up. */
export class OptimizerError extends UserError {
  override name = 'OptimizerError';
}

/** Name of the step counter in every optimizer's state. */
export const STEP = 'step';

/** The state's step counter: a float32 scalar (exact up to 2^24 steps). */
export const stepCounter = (): HostTensor<'float32'> => ({
  dtype: 'float32',
  shape: [],
  data: new Float32Array(1),
});

/** A zero float32 tensor like `t`. */
export const zerosOf = (t: HostTensor): HostTensor<'float32'> => ({
  dtype: 'float32',
  shape: [...t.shape],
  data: new Float32Array(t.shape.reduce((a, d) => a * d, 1)),
});

/** Checks that every param has a float32 gradient and state slots of its shape; returns the step tensor. */
export function checkArgs(args: UpdateArgs, slots: readonly string[]): Tensor {
  const step = args.state[STEP];
  if (step?.rank !== 0 || step.dtype !== 'float32')
    throw new OptimizerError(`state needs a float32 scalar '${STEP}' (from initState)`);
  for (const name of Object.keys(args.grads))
    if (!args.params[name]) throw new OptimizerError(`gradient ${name} has no parameter`);
  for (const [name, p] of Object.entries(args.params)) {
    const like = (t: Tensor | undefined, what: string) => {
      if (!t) throw new OptimizerError(`missing ${what} for parameter ${name}`);
      if (t.dtype !== 'float32' || formatShape(t.shape) !== formatShape(p.shape))
        throw new OptimizerError(
          `${what} for ${name} is ${t.dtype}${formatShape(t.shape)}, expected float32${formatShape(p.shape)}`,
        );
    };
    like(args.grads[name], 'gradient');
    for (const s of slots) like(args.state[`${s}.${name}`], `state ${s}.${name}`);
  }
  return step;
}

/** Checks that a setting is a finite number within [lo, hi] (or [lo, hi) when `open`). */
export function checkRange(
  what: string,
  v: number,
  lo: number,
  hi = Number.POSITIVE_INFINITY,
  open = false,
): void {
  const ok = Number.isFinite(v) && v >= lo && (open ? v < hi : v <= hi);
  if (!ok) throw new OptimizerError(`${what} must be in [${lo}, ${hi}${open ? ')' : ']'}, got ${v}`);
}
