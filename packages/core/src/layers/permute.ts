/**
 * Axis layers for sequence models, parameter-free: `permute` reorders each example's axes (a
 * window `[N, C, L]` to the `[N, L, C]` a GRU reads, and back) and `repeat` copies each example
 * along a new axis 1 (a code `[N, D]` to `[N, L, D]`, one copy per step of a recurrent decoder).
 */
import { type Dim, formatShape, type Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';

/** Reorders the per-example axes: output axis i is input axis `perm[i]` (0 = the first after the batch). */
export interface PermuteSpec {
  readonly type: 'permute';
  readonly perm: readonly number[];
}

/** `[N, ...rest]` to `[N, times, ...rest]`: each example copied `times` times along a new axis 1. */
export interface RepeatSpec {
  readonly type: 'repeat';
  readonly times: number;
}

/** Why `perm` is not a permutation of 0..k-1, or null. */
export function permProblem(perm: unknown): string | null {
  const ok =
    Array.isArray(perm) && perm.length >= 1 && [...perm].sort((a, b) => a - b).every((v, i) => v === i);
  return ok ? null : `perm must list 0..k-1 once each (k = axes per example), got ${JSON.stringify(perm)}`;
}

/** Output shape of `permute` for input `x`; `fail` throws the caller's layer error. */
export function permuteOutputShape(spec: PermuteSpec, x: Shape, fail: (detail: string) => never): Dim[] {
  if (x.length !== spec.perm.length + 1)
    fail(`perm [${spec.perm}] reorders ${spec.perm.length} axes per example, input is ${formatShape(x)}`);
  return [x[0]!, ...spec.perm.map((p) => x[p + 1]!)];
}

/** Output shape of `repeat` for input `x`. */
export function repeatOutputShape(spec: RepeatSpec, x: Shape, fail: (detail: string) => never): Dim[] {
  if (x.length < 1) fail('needs a batch dim');
  return [x[0]!, spec.times, ...x.slice(1)];
}

/** One Transpose keeping the batch axis first. */
export const applyPermute = (spec: PermuteSpec, x: Tensor): Tensor =>
  x.transpose([0, ...spec.perm.map((p) => p + 1)]);

/** Unsqueeze then Expand (a broadcast: its VJP sums the copies). */
export function applyRepeat(spec: RepeatSpec, x: Tensor): Tensor {
  const ones = new Array<number>(x.rank - 1).fill(1);
  return x.unsqueeze([1]).expand([1, spec.times, ...ones]);
}
