/**
 * What the unrolled recurrent layers (GRU, LSTM) share: torch's parameter layout, the shape rule,
 * the input projections of all steps at once, the mask that holds a state past a sequence's end,
 * and collecting the states. The input projections are one MatMul split per step by one `Split`
 * (VJP: one Concat), so the backward pass stays linear in the length; a Slice per step would pad
 * every step's cotangent to the full length.
 */
import { type Dim, formatShape, type Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';

/** Fields every recurrent layer spec has (single layer, unidirectional, batch first). */
/** Run options every recurrent layer takes. */
export interface RecurrentOptions {
  /** float32 `[N, L]`, 1 for real steps and 0 past the end; default: every step is real. */
  readonly mask?: Tensor | undefined;
  /** Initial hidden state `[N, H]`; default zeros. */
  readonly h0?: Tensor | undefined;
  /** Every step's state `[N, L, H]` ('all', the default) or the last real one `[N, H]`. */
  readonly output?: 'all' | 'last';
}

export interface RecurrentSpecBase {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** `all`: every state `[N, L, H]` (default); `last`: the state after each sequence's last step `[N, H]`. */
  readonly output?: 'all' | 'last';
  /** Default true (bias_ih and bias_hh, as torch). */
  readonly bias?: boolean;
}

/** Parameters in torch's layout: `weight_ih [G*H, D]`, `weight_hh [G*H, H]`, biases `[G*H]`. */
export interface RecurrentParams {
  readonly weight_ih: Tensor;
  readonly weight_hh: Tensor;
  readonly bias_ih?: Tensor | undefined;
  readonly bias_hh?: Tensor | undefined;
}

/** Parameter names and shapes (torch's, without the `_l0` suffix) for `gates` gates. */
export function recurrentParamShapes(spec: RecurrentSpecBase, gates: number): [string, number[]][] {
  const [d, h] = [spec.inputSize, spec.hiddenSize];
  const w: [string, number[]][] = [
    ['weight_ih', [gates * h, d]],
    ['weight_hh', [gates * h, h]],
  ];
  if (spec.bias === false) return w;
  return [...w, ['bias_ih', [gates * h]], ['bias_hh', [gates * h]]];
}

/** Output shape for input `[N, L, D]`; `fail` throws the caller's layer error. */
export function recurrentOutputShape(
  spec: RecurrentSpecBase,
  x: Shape,
  fail: (detail: string) => never,
): Dim[] {
  const [n, len, d] = x;
  if (x.length !== 3 || typeof len !== 'number' || d !== spec.inputSize)
    fail(`needs [N, L, ${spec.inputSize}] with a static length L, got ${formatShape(x)}`);
  return spec.output === 'last' ? [n!, spec.hiddenSize] : [n!, len!, spec.hiddenSize];
}

/** Splits `t` along `axis` into pieces of the given sizes (one node; a single piece is `t`). */
export function splitAxis(t: Tensor, sizes: readonly number[], axis: number): Tensor[] {
  if (sizes.length === 1) return [t];
  return t.graph.apply('Split', [t, t.graph.ints(sizes)], { axis });
}

/** `x [N, L, D]` projected by `weight_ih` (+ `bias_ih`) for every step at once, one `[N, G*H]` per step. */
export function stepInputs(x: Tensor, p: RecurrentParams): Tensor[] {
  const len = x.shape[1] as number;
  let xi = x.matmul(p.weight_ih.T);
  if (p.bias_ih) xi = xi.add(p.bias_ih);
  const width = p.weight_ih.shape[0] as number;
  return splitAxis(xi, new Array<number>(len).fill(1), 1).map((s) => s.reshape([0, width]));
}

/** The mask `[N, L]` as one `[N, 1]` per step, or none. */
export function stepMasks(mask: Tensor | undefined, len: number): (Tensor | undefined)[] {
  if (!mask) return new Array<undefined>(len).fill(undefined);
  return splitAxis(mask, new Array<number>(len).fill(1), 1);
}

/** `h W_hh^T + b_hh` (`whhT` = W_hh^T); with a zero state (null) just the bias, or null. */
export function hiddenTerm(h: Tensor | null, whhT: Tensor, bias: Tensor | undefined): Tensor | null {
  const hh = h ? h.matmul(whhT) : null;
  if (!bias) return hh;
  return hh ? hh.add(bias) : bias;
}

/**
 * The state after a step under the mask `m` [N, 1]: `prev + m (next - prev)`, which is exactly
 * `prev` where m = 0 (a zero state when `prev` is null) and `next` where m = 1.
 */
export function hold(prev: Tensor | null, next: Tensor, m: Tensor | undefined): Tensor {
  if (!m) return next;
  return prev ? prev.add(m.mul(next.sub(prev))) : m.mul(next);
}

/** All states as `[N, L, H]`, or the last as `[N, H]`. */
export function collectStates(states: readonly Tensor[], output: 'all' | 'last'): Tensor {
  if (output === 'last') return states[states.length - 1]!;
  const all = states.map((s) => s.unsqueeze([1]));
  return all.length === 1 ? all[0]! : all[0]!.graph.apply1('Concat', all, { axis: 1 });
}
