import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import type { Tensor } from '../ir/tensor';
import { checkRange, OptimizerError } from './optimizer';

/**
 * A learning-rate schedule as a graph function of the step tensor: a float32 scalar `t`, the number
 * of updates done before this one (0 for the first), as a torch scheduler stepped after every
 * `optimizer.step()` sees it. Returns a float32 scalar.
 */
export type Schedule = (t: Tensor) => Tensor;

/** A learning rate: a constant or a schedule. */
export type LearningRate = number | Schedule;

/** The learning-rate tensor at step `t`. */
export const lrAt = (lr: LearningRate, t: Tensor): Tensor =>
  typeof lr === 'number' ? t.graph.scalar(lr) : lr(t);

/** A constant rate `lr`. */
export function constantLR(lr: number): Schedule {
  checkRange('lr', lr, 0);
  return (t) => t.graph.scalar(lr);
}

/**
 * torch CosineAnnealingLR in closed form: `etaMin + (lr - etaMin) (1 + cos(pi t / tMax)) / 2`
 * (past `tMax` the cosine continues, as torch's closed form does).
 */
export function cosineLR(opts: { lr: number; tMax: number; etaMin?: number }): Schedule {
  const { lr, tMax, etaMin = 0 } = opts;
  checkRange('lr', lr, 0);
  checkRange('etaMin', etaMin, 0);
  if (!Number.isInteger(tMax) || tMax < 1)
    throw new OptimizerError(`tMax must be a positive integer, got ${tMax}`);
  return (t) =>
    t
      .mul(Math.PI / tMax)
      .cos()
      .add(1)
      .mul((lr - etaMin) / 2)
      .add(etaMin);
}

/** torch StepLR: `lr * gamma^floor(t / stepSize)`. */
export function stepLR(opts: { lr: number; stepSize: number; gamma?: number }): Schedule {
  const { lr, stepSize, gamma = 0.1 } = opts;
  checkRange('lr', lr, 0);
  checkRange('gamma', gamma, 0);
  if (!Number.isInteger(stepSize) || stepSize < 1)
    throw new OptimizerError(`stepSize must be a positive integer, got ${stepSize}`);
  // t / stepSize of exact integers is exact in float32, so floor never lands one step early
  return (t) => t.graph.scalar(gamma).pow(t.div(stepSize).floor()).mul(lr);
}

/**
 * Linear warm-up: `after(t) * (startFactor + (1 - startFactor) * min(t, warmupSteps) / warmupSteps)`,
 * i.e. torch LinearLR(startFactor, 1, warmupSteps) multiplying `after` (a number or schedule).
 */
export function linearWarmupLR(opts: {
  warmupSteps: number;
  after: LearningRate;
  startFactor?: number;
}): Schedule {
  const { warmupSteps: w, after, startFactor = 0 } = opts;
  checkRange('startFactor', startFactor, 0, 1);
  if (!Number.isInteger(w) || w < 1)
    throw new OptimizerError(`warmupSteps must be a positive integer, got ${w}`);
  return (t) =>
    t
      .minimum(w)
      .mul((1 - startFactor) / w)
      .add(startFactor)
      .mul(lrAt(after, t));
}

/** The rate at step `t` on the host (for logging), by interpreting the schedule's graph. */
export function scheduleValue(lr: LearningRate, t: number): number {
  if (typeof lr === 'number') return lr;
  const g = new Graph('schedule');
  const step = g.input('t', []);
  const [v] = interpret(g, [lrAt(lr, step)], {
    t: { dtype: 'float32', shape: [], data: Float32Array.of(t) },
  });
  return (v!.data as Float32Array)[0]!;
}
