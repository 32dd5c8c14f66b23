import type { Tensor } from '../ir/tensor';

/** KL weight schedules (warm-up), usable on host numbers or on a step tensor inside a graph. */
export interface KLSchedule {
  (step: number): number;
  graph(step: Tensor): Tensor;
}

/** beta rises linearly from 0 to `max` over `warmupSteps`, then stays (Bowman et al. 2016). */
export function linearWarmup(warmupSteps: number, max = 1): KLSchedule {
  if (!(warmupSteps > 0)) throw new RangeError(`linearWarmup: warmupSteps must be > 0, got ${warmupSteps}`);
  const f = ((step: number) => Math.min(max, (max * step) / warmupSteps)) as KLSchedule;
  f.graph = (step) => step.mul(max / warmupSteps).minimum(max);
  return f;
}

/**
 * Cyclical annealing (Fu et al. 2019): `cycles` cycles over `totalSteps`; in each, beta rises
 * linearly over the first `ratio` of the cycle, then holds at `max`.
 */
export function cyclicalWarmup(totalSteps: number, cycles = 4, ratio = 0.5, max = 1): KLSchedule {
  if (!(totalSteps > 0 && cycles >= 1 && ratio > 0 && ratio <= 1)) {
    throw new RangeError(`cyclicalWarmup: need totalSteps > 0, cycles >= 1, 0 < ratio <= 1`);
  }
  const period = totalSteps / cycles;
  const f = ((step: number) => Math.min(max, (max * ((step % period) / period)) / ratio)) as KLSchedule;
  f.graph = (step) => {
    const phase = step.div(period);
    const frac = phase.sub(phase.floor());
    return frac.mul(max / ratio).minimum(max);
  };
  return f;
}
