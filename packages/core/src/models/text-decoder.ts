/**
 * The parts of a text VAE's decoder (layout in `text-spec.ts`), shared by teacher-forced training
 * (`TextVAE.decode`) and free-running decoding (`decode-text.ts`), so both run one definition:
 * h0 = tanh(dense(z)), the step inputs (embedding of the previous token, z appended when
 * `zEveryStep`), the GRU, and the dense layer to logits over the vocabulary.
 */
import type { Tensor } from '../ir/tensor';
import { apply } from '../layers/apply';
import type { GruParams } from '../layers/gru';
import type { VAESpec } from './spec';
import { TEXT_IDS, textDecoderLayers } from './text-spec';
import type { Params } from './vae';

/** The initial decoder state tanh(dense(z)) [M, H]; undefined (zeros) for the language model. */
export function textH0(spec: VAESpec, params: Params, z: Tensor): Tensor | undefined {
  if (spec.text?.lm) return undefined;
  return apply(textDecoderLayers(spec)[0], params, z, {}, 'dec.0').tanh();
}

/** Step inputs [M, L, E (+ latent)] for float32 token ids [M, L] (z [M, latent] appended if asked). */
export function textStepInputs(spec: VAESpec, params: Params, tokens: Tensor, z: Tensor): Tensor {
  const e = apply(textDecoderLayers(spec)[1], params, tokens.cast('int64'), {}, 'dec.1');
  if (!spec.text?.zEveryStep) return e;
  const len = tokens.shape[1] as number;
  const zs = z.unsqueeze([1]).expand([1, len, 1]);
  return e.graph.apply1('Concat', [e, zs], { axis: 2 });
}

/** The decoder GRU's parameters (`dec.2.*`). */
export function textGruParams(params: Params): GruParams {
  return {
    weight_ih: params['dec.2.weight_ih']!,
    weight_hh: params['dec.2.weight_hh']!,
    bias_ih: params['dec.2.bias_ih'],
    bias_hh: params['dec.2.bias_hh'],
  };
}

/** Logits [..., V] from decoder states [..., H]. */
export function textLogits(spec: VAESpec, params: Params, states: Tensor): Tensor {
  return apply(textDecoderLayers(spec)[3], params, states, {}, 'dec.3');
}

/** BOS, then `prev` [N, L - 1]: the decoder input of teacher forcing, step t reading x_{t-1}. */
export function withBos(prev: Tensor): Tensor {
  const bos = prev.slice([0], [1], [1]).mul(0).add(TEXT_IDS.bos);
  return prev.graph.apply1('Concat', [bos, prev], { axis: 1 });
}

/** Teacher forcing's decoder input for ids x [N, L]: BOS, x_0, ..., x_{L-2}. */
export function shiftRight(x: Tensor): Tensor {
  const len = x.shape[1] as number;
  return withBos(x.slice([0], [len - 1], [1]));
}

/** 1 at real positions (characters and EOS: ids > 0), 0 at padding; float32 [N, L]. */
export const sequenceMask = (x: Tensor): Tensor => x.greater(TEXT_IDS.pad).cast('float32');
