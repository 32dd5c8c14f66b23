/**
 * An LSTM over a fixed maximum length, unrolled like the GRU (recurrent.ts). torch.nn.LSTM's
 * equations and gate order (i, f, g, o):
 *
 *   i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)     f = sigmoid(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)        o = sigmoid(W_io x + b_io + W_ho h + b_ho)
 *   c' = f * c + i * g                             h' = o * tanh(c')
 *
 * The mask holds both h and c past each sequence's end. Outputs are the h states.
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

/** A single-layer unidirectional LSTM on `[N, L, inputSize]` (batch first); parameters as {@link LstmParams}. */
export interface LstmSpec extends RecurrentSpecBase {
  readonly type: 'lstm';
}

/** torch's layout: `weight_ih [4H, D]`, `weight_hh [4H, H]`, biases `[4H]`, gates i, f, g, o. */
export type LstmParams = RecurrentParams;

export interface LstmOptions extends RecurrentOptions {
  /** Initial cell state `[N, H]`; default zeros. */
  readonly c0?: Tensor | undefined;
}

/** Runs the LSTM over `x [N, L, D]`; returns the h states `[N, L, H]` or the last `[N, H]`. */
export function lstm(x: Tensor, p: LstmParams, opts: LstmOptions = {}): Tensor {
  const H = p.weight_hh.shape[1] as number;
  const inputs = stepInputs(x, p);
  const masks = stepMasks(opts.mask, inputs.length);
  const whhT = p.weight_hh.T; // [H, 4H]
  let h: Tensor | null = opts.h0 ?? null; // null = zeros
  let c: Tensor | null = opts.c0 ?? null;
  const states: Tensor[] = [];
  inputs.forEach((xt, t) => {
    const hh = hiddenTerm(h, whhT, p.bias_hh);
    const gates = hh ? xt.add(hh) : xt;
    const [i, f, g, o] = splitAxis(gates, [H, H, H, H], 1) as [Tensor, Tensor, Tensor, Tensor];
    const ig = i.sigmoid().mul(g.tanh());
    const cNext = c ? f.sigmoid().mul(c).add(ig) : ig;
    const hNext = o.sigmoid().mul(cNext.tanh());
    c = hold(c, cNext, masks[t]);
    h = hold(h, hNext, masks[t]);
    states.push(h);
  });
  return collectStates(states, opts.output ?? 'all');
}
