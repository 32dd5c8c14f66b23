/**
 * Test-only helpers for the distribution tests: a graph with feeds, element-wise comparison with
 * tolerances, sample statistics, and a directional finite-difference check of gradients.
 * Not exported from the package.
 */
import { fold, key, normal } from '@vae/random';
import { expect } from 'vitest';
import { grad } from '../autodiff/grad';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import type { Tensor } from '../ir/tensor';
import { GraphNoise } from '../random/noise';

/** A graph plus the feeds for its inputs. */
export class Bench {
  readonly g = new Graph('dist_test');
  readonly feeds: Record<string, HostTensor> = {};
  private noiseSource: GraphNoise | null = null;

  /** A float32 graph input fed with `values`. */
  input(name: string, values: ArrayLike<number>, shape: readonly number[] = [values.length]): Tensor {
    const t = this.g.input(name, shape);
    this.feeds[name] = { dtype: 'float32', shape: [...shape], data: Float32Array.from(values) };
    return t;
  }

  /**
   * One float32 input per column of a table of cases, `columns(cases, ['m', 's', 'x'])`; a column
   * named '' is skipped. Each input has shape `shape` (default: one element per row).
   */
  columns(
    rows: readonly (readonly number[])[],
    names: readonly string[],
    shape?: readonly number[],
  ): Tensor[] {
    return names.flatMap((n, j) =>
      n
        ? [
            this.input(
              n,
              rows.map((r) => r[j]!),
              shape,
            ),
          ]
        : [],
    );
  }

  /** An int64 graph input. */
  ints(name: string, values: readonly number[], shape: readonly number[] = [values.length]): Tensor {
    const t = this.g.input(name, shape, 'int64');
    this.feeds[name] = { dtype: 'int64', shape: [...shape], data: BigInt64Array.from(values, BigInt) };
    return t;
  }

  /** A float32 constant. */
  constant(values: ArrayLike<number>, shape: readonly number[] = [values.length]): Tensor {
    return this.g.constant({ dtype: 'float32', shape: [...shape], data: Float32Array.from(values) });
  }

  get noise(): GraphNoise {
    this.noiseSource ??= new GraphNoise(this.g);
    return this.noiseSource;
  }

  /** The feeds plus every noise input drawn from `key(seed)`. */
  allFeeds(seed = 0, dims: Record<string, number> = {}): Record<string, HostTensor> {
    return { ...this.feeds, ...(this.noiseSource?.feeds(key(seed), dims) ?? {}) };
  }

  /** Evaluates `outs` with the interpreter; noise inputs are fed from `seed`. */
  run(outs: readonly Tensor[], seed = 0, dims: Record<string, number> = {}): number[][] {
    return interpret(this.g, outs, this.allFeeds(seed, dims)).map((t) =>
      Array.from(t.data as ArrayLike<number>, Number),
    );
  }

  /** Evaluates one output. */
  run1(out: Tensor, seed = 0, dims: Record<string, number> = {}): number[] {
    return this.run([out], seed, dims)[0]!;
  }
}

/** Asserts |got - want| <= atol + rtol |want| element-wise, naming the first bad index. */
export function expectClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  { rtol = 1e-6, atol = 0 }: Tolerance = {},
  label = '',
): void {
  expect(got.length, `${label} length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const [a, b] = [got[i]!, want[i]!];
    const ok = a === b || Math.abs(a - b) <= atol + rtol * Math.abs(b);
    if (!ok) expect.fail(`${label}[${i}]: got ${a}, want ${b} (|diff| ${Math.abs(a - b)})`);
  }
}

/** Tolerances of {@link expectClose}. */
export type Tolerance = { rtol?: number; atol?: number };

/** Table-driven {@link expectClose}: `{ label: [got, want, tolerance] }`, one row per property. */
export function expectCloseAll(
  rows: Record<string, readonly [ArrayLike<number> | undefined, ArrayLike<number>, Tolerance?]>,
): void {
  for (const [label, [got, want, tol]] of Object.entries(rows)) expectClose(got!, want, tol, label);
}

/** Sample mean and (population) variance. */
export function moments(xs: ArrayLike<number>): { mean: number; variance: number } {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m += xs[i]!;
  m /= xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - m) ** 2;
  return { mean: m, variance: v / xs.length };
}

/** Sample mean and its standard error. */
export function meanAndError(xs: ArrayLike<number>): { mean: number; se: number } {
  const { mean, variance } = moments(xs);
  return { mean, se: Math.sqrt(variance / xs.length) };
}

/** Every `stride`-th element starting at `offset` (one batch entry of a [S, B] sample). */
export const column = (xs: readonly number[], stride: number, offset: number): number[] =>
  xs.filter((_, i) => i % stride === offset);

export interface FdParam {
  name: string;
  values: readonly number[];
  shape?: readonly number[];
}

/**
 * Directional finite-difference check: for a random cotangent r and direction v, compares
 * <d sum(r * f(p)) / dp, v> from `grad` with the central difference (float64 sums of float32
 * outputs), per parameter. `build` gets the parameters as graph inputs and returns f(p).
 */
export function expectGradMatchesFd(
  build: (b: Bench, params: Tensor[]) => Tensor,
  params: readonly FdParam[],
  { eps = 1e-3, tol = 5e-3, seed = 7 }: { eps?: number; tol?: number; seed?: number } = {},
): void {
  const b = new Bench();
  const ts = params.map((p) => b.input(p.name, p.values, p.shape));
  const y = build(b, ts);
  const n = y.shape.reduce<number>((s, d) => s * (d as number), 1);
  const r = normal(fold(key(seed), 1), n);
  const rT = b.constant(r, y.shape as number[]);
  const loss = y.mul(rT).sum();
  const grads = grad(loss, ts);
  const gVals = b.run(grads);
  const base = b.allFeeds();
  const f = (feeds: Record<string, HostTensor>): number => {
    const out = interpret(b.g, [y], feeds)[0]!.data as Float32Array;
    let s = 0;
    for (let i = 0; i < out.length; i++) s += out[i]! * r[i]!;
    return s;
  };
  params.forEach((p, k) => {
    const v = normal(fold(key(seed), 100 + k), p.values.length);
    const shifted = (sign: number) => ({
      ...base,
      [p.name]: {
        dtype: 'float32' as const,
        shape: [...(p.shape ?? [p.values.length])],
        data: Float32Array.from(p.values, (x, j) => x + sign * eps * v[j]!),
      },
    });
    const numeric = (f(shifted(1)) - f(shifted(-1))) / (2 * eps);
    let analytic = 0;
    let scale = 0;
    gVals[k]!.forEach((gv, j) => {
      analytic += gv * v[j]!;
      scale += Math.abs(gv * v[j]!);
    });
    expect(Number.isFinite(analytic), `${p.name}: gradient is finite`).toBe(true);
    expect(
      Math.abs(analytic - numeric),
      `${p.name}: analytic ${analytic} vs numeric ${numeric}`,
    ).toBeLessThanOrEqual(tol * (scale + 1e-3));
  });
}
