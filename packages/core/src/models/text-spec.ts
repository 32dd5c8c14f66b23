/**
 * The spec of a character-level text VAE (Bowman et al. 2016) and of its latent-free language
 * model baseline, and the checks that it fits together. The layer layout is fixed so `TextVAE`
 * finds each part by index (parameter names stay `enc.*` / `dec.*` as in every VAE):
 * - encoder: `[embedding(V, E), gru(E, H, last), dense(H, 2 x latent)]` (empty for the LM);
 * - decoder: `[dense(latent, H) -> h0, embedding(V, E), gru(E (+ latent), H), dense(H, V)]`; the LM's
 *   first entry is an identity activation (h0 = 0, no parameters), so both share decoder names.
 */
import { formatShape } from '../ir/shape';
import { outputShape } from '../layers/shapes';
import type { LayerSpec } from '../layers/spec';
import { ModelSpecError, type PriorSpec, type VAESpec } from './spec';

/** Reserved ids, as `@vae/datasets` writes text (its TEXT_PAD..TEXT_UNK): characters follow. */
export const TEXT_IDS = Object.freeze({ pad: 0, bos: 1, eos: 2, unk: 3 });

/** Options of {@link textVAESpec}. */
export interface TextVAEOptions {
  /** Ids including the 4 reserved ones (a corpus vocabulary's size). */
  readonly vocab: number;
  /** Longest text in characters; a sequence has maxLen + 1 positions (EOS). */
  readonly maxLen: number;
  /** Default 16. */
  readonly latent?: number;
  /** Embedding size of encoder and decoder. Default 32. */
  readonly embed?: number;
  /** GRU state size of encoder and decoder. Default 128. */
  readonly hidden?: number;
  /** Word dropout probability in training steps. Default 0. */
  readonly wordDropout?: number;
  /** z concatenated to every decoder step's input too. Default false. */
  readonly zEveryStep?: boolean;
  /** The latent-free language model of the same decoder. Default false. */
  readonly lm?: boolean;
  /** Default standard normal (the LM needs it: its posterior is pinned to it). */
  readonly prior?: PriorSpec;
}

/** The spec {@link TextVAEOptions} describe (see the file comment for the layout). */
export function textVAESpec(o: TextVAEOptions): VAESpec {
  const [latent, e, h] = [o.latent ?? 16, o.embed ?? 32, o.hidden ?? 128];
  const lm = o.lm ?? false;
  const zStep = !lm && (o.zEveryStep ?? false);
  const encoder: LayerSpec = {
    type: 'sequential',
    layers: lm
      ? []
      : [
          { type: 'embedding', vocab: o.vocab, dim: e },
          { type: 'gru', inputSize: e, hiddenSize: h, output: 'last' },
          { type: 'dense', in: h, out: 2 * latent },
        ],
  };
  const decoder: LayerSpec = {
    type: 'sequential',
    layers: [
      lm ? { type: 'activation', fn: 'identity' } : { type: 'dense', in: latent, out: h },
      { type: 'embedding', vocab: o.vocab, dim: e },
      { type: 'gru', inputSize: e + (zStep ? latent : 0), hiddenSize: h },
      { type: 'dense', in: h, out: o.vocab },
    ],
  };
  return {
    kind: 'vae',
    dataShape: [o.maxLen + 1],
    latent: lm ? 1 : latent,
    encoder,
    decoder,
    likelihood: { type: 'sequence-categorical', vocab: o.vocab },
    prior: o.prior ?? { type: 'standard-normal' },
    text: {
      ...(o.wordDropout ? { wordDropout: o.wordDropout } : {}),
      ...(zStep ? { zEveryStep: true } : {}),
      ...(lm ? { lm: true } : {}),
    },
  };
}

/** The decoder's four layers, checked to be the layout above. */
export function textDecoderLayers(spec: VAESpec): [LayerSpec, LayerSpec, LayerSpec, LayerSpec] {
  const d = spec.decoder;
  if (d.type !== 'sequential' || d.layers.length !== 4)
    throw new ModelSpecError('text decoder must be [h0 map, embedding, gru, dense] (see textVAESpec)');
  return d.layers as [LayerSpec, LayerSpec, LayerSpec, LayerSpec];
}

/** Checks a text spec: the layout above, sizes that agree, and nothing a text model lacks. */
export function validateTextVAE(spec: VAESpec): void {
  function bad(why: string): never {
    throw new ModelSpecError(`text VAE: ${why}`);
  }
  const lik = spec.likelihood;
  if (lik.type !== 'sequence-categorical') bad(`likelihood must be sequence-categorical, got ${lik.type}`);
  const t = spec.text ?? bad('text settings are missing (build the spec with textVAESpec)');
  const v = lik.vocab;
  if (!(Number.isInteger(v) && v > TEXT_IDS.unk)) bad(`vocab must be an integer > ${TEXT_IDS.unk}, got ${v}`);
  const [len] = spec.dataShape;
  if (spec.dataShape.length !== 1 || !(Number.isInteger(len) && len! >= 2))
    bad(`dataShape must be [maxLen + 1] with maxLen >= 1, got [${spec.dataShape}]`);
  if (!(Number.isInteger(spec.latent) && spec.latent >= 1))
    bad(`latent must be a positive integer, got ${spec.latent}`);
  if (spec.condition || spec.denoise) bad('conditions and denoising are not supported');
  const p = t.wordDropout ?? 0;
  if (!(p >= 0 && p < 1)) bad(`wordDropout must be in [0, 1), got ${p}`);
  if (t.lm && spec.prior.type !== 'standard-normal')
    bad('the language model (lm) needs the standard-normal prior');
  const [h0, emb, rnn, out] = textDecoderLayers(spec);
  if (emb.type !== 'embedding' || emb.vocab !== v) bad(`decoder layer 1 must be an embedding of ${v} ids`);
  if (rnn.type !== 'gru' || (rnn.output ?? 'all') !== 'all')
    bad('decoder layer 2 must be a gru with output "all"');
  const zIn = t.zEveryStep ? spec.latent : 0;
  if (rnn.inputSize !== emb.dim + zIn)
    bad(`decoder gru inputSize must be ${emb.dim + zIn}, got ${rnn.inputSize}`);
  if (out.type !== 'dense' || out.in !== rnn.hiddenSize || out.out !== v)
    bad(`decoder layer 3 must be dense ${rnn.hiddenSize} -> ${v}`);
  if (t.lm) {
    if (h0.type !== 'activation' || h0.fn !== 'identity')
      bad('the lm decoder starts with an identity (h0 = 0)');
    if (t.zEveryStep) bad('the lm decoder reads no z');
    if (spec.encoder.type !== 'sequential' || spec.encoder.layers.length) bad('the lm has no encoder');
    return;
  }
  if (h0.type !== 'dense' || h0.in !== spec.latent || h0.out !== rnn.hiddenSize)
    bad(`decoder layer 0 must be dense ${spec.latent} -> ${rnn.hiddenSize} (z to h0)`);
  const enc = outputShape(spec.encoder, ['N', len!], 'enc');
  if (formatShape(enc) !== formatShape(['N', 2 * spec.latent]))
    bad(`encoder must map ids [N, ${len}] to [N, ${2 * spec.latent}], got ${formatShape(enc)}`);
}
