/**
 * A GRU over a fixed maximum length, unrolled into primitive ops (so autodiff, the interpreter and
 * ONNX lowering need nothing new). torch.nn.GRU's equations and gate order (r, z, n):
 *
 *   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 *   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 *   h' = (1 - z) * n + z * h
 *
 * A mask `[N, L]` (1 = a real step, 0 = padding) holds h past each sequence's length, so nothing
 * after a sequence's end reaches its states (see recurrent.ts).
 */
import type { Tensor } from '../ir/tensor';
import {
  collectStates,
  hiddenTerm,
  hold,
  type RecurrentOptions,
  type RecurrentParams,
  type RecurrentSpecBase,
  splitAxis,
  stepInputs,
  stepMasks,
} from './recurrent';

/** A single-layer unidirectional GRU on `[N, L, inputSize]` (batch first); parameters as {@link GruParams}. */
export interface GruSpec extends RecurrentSpecBase {
  readonly type: 'gru';
}

/** torch's layout: `weight_ih [3H, D]`, `weight_hh [3H, H]`, biases `[3H]`, gates r, z, n. */
export type GruParams = RecurrentParams;

export type GruOptions = RecurrentOptions;

/** Runs the GRU over `x [N, L, D]` (see the file comment); returns `[N, L, H]` or `[N, H]`. */
export function gru(x: Tensor, p: GruParams, opts: GruOptions = {}): Tensor {
  const H = p.weight_hh.shape[1] as number;
  const inputs = stepInputs(x, p);
  const masks = stepMasks(opts.mask, inputs.length);
  const whhT = p.weight_hh.T; // [H, 3H]
  let h: Tensor | null = opts.h0 ?? null; // null = zeros, which needs no MatMul
  const states: Tensor[] = [];
  inputs.forEach((xt, t) => {
    const [xrz, xn] = splitAxis(xt, [2 * H, H], 1) as [Tensor, Tensor];
    const hh = hiddenTerm(h, whhT, p.bias_hh);
    const [hrz, hn] = hh ? (splitAxis(hh, [2 * H, H], -1) as [Tensor, Tensor]) : [null, null];
    const [r, z] = splitAxis((hrz ? xrz.add(hrz) : xrz).sigmoid(), [H, H], 1) as [Tensor, Tensor];
    const n = (hn ? xn.add(r.mul(hn)) : xn).tanh();
    const next = h ? n.add(z.mul(h.sub(n))) : n.sub(z.mul(n)); // (1 - z) n + z h
    h = hold(h, next, masks[t]);
    states.push(h);
  });
  return collectStates(states, opts.output ?? 'all');
}
