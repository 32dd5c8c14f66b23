/**
 * A character-level text VAE (Bowman et al. 2016) as a subclass of {@link VAE}: the trainer, eval
 * and score code call the same methods (`loss`, `iwae`, `encode`, `decode`, `prior`, `corrupt`,
 * `paramShapes`, `init`, `roleGraph`) with the same signatures, so it trains unchanged. What
 * differs is overridden here: ids enter as float32 and are cast to int64 for the embeddings; the
 * decoder is teacher-forced, so `decode` reads x from the batch; word dropout is the training-only
 * `corrupt` step; the `decoder` role is free-running decoding (`decode-text.ts`).
 */

import type { BuiltGraph } from '../backend/backend';
import type { Distribution } from '../distributions/distribution';
import type { HostTensor } from '../ir/dtype';
import type { Tensor } from '../ir/tensor';
import { apply } from '../layers/apply';
import { gru } from '../layers/gru';
import type { NoiseSource } from '../random/noise';
import { textDecodeGraph } from './decode-text';
import { likelihoodFrom } from './likelihood';
import { ModelSpecError, type VAESpec } from './spec';
import {
  sequenceMask,
  shiftRight,
  textGruParams,
  textH0,
  textLogits,
  textStepInputs,
  withBos,
} from './text-decoder';
import { TEXT_IDS, type TextVAEOptions, textVAESpec, validateTextVAE } from './text-spec';
import { type Batch, type Params, VAE, type VAERole } from './vae';

/** A text batch: ids x [N, L] (float32) and, in training steps, the word-dropped decoder input. */
export interface TextBatch extends Batch {
  /** Decoder input ids [N, L] (BOS, then x shifted right with words dropped); default `shiftRight(x)`. */
  decoderInput?: Tensor;
}

/** A text VAE (or, with `text.lm`, the latent-free language model of the same decoder). */
export class TextVAE extends VAE {
  protected override validate(spec: VAESpec): void {
    validateTextVAE(spec);
  }

  /**
   * q(z|x): embedding, GRU over the real positions (the mask holds the state past EOS), dense to
   * [mean, log-variance]. The LM's posterior is the prior N(0, I) itself: its KL is exactly 0 and
   * its importance weights are exactly p(x|z) = p(x).
   */
  override encodeMoments(params: Params, batch: Batch): { loc: Tensor; scale: Tensor; logScale: Tensor } {
    const { x } = batch;
    const d = this.spec.latent;
    if (this.spec.text?.lm) {
      const zero = x.slice([0], [1], [1]).mul(0).expand([1, d]);
      return { loc: zero, scale: zero.exp(), logScale: zero };
    }
    const h = apply(this.spec.encoder, params, x.cast('int64'), { mask: sequenceMask(x) }, 'enc');
    const logScale = h.slice([d], [2 * d], [1]).mul(0.5);
    return { loc: h.slice([0], [d], [1]), scale: logScale.exp(), logScale };
  }

  /**
   * Teacher-forced logits [..., N, L, V] for z [N, D] or [k, N, D] and decoder input ids [N, L].
   * With a static batch the k samples are folded into it (one GRU over k N sequences); with a
   * symbolic one each sample gets its own unrolled decoder, so the graph grows with k.
   */
  logits(params: Params, z: Tensor, tokens: Tensor): Tensor {
    const s = this.spec;
    const [len, v] = [s.dataShape[0]!, (s.likelihood as { vocab: number }).vocab];
    const run = (zz: Tensor, tt: Tensor) => {
      const states = gru(textStepInputs(s, params, tt, zz), textGruParams(params), {
        h0: textH0(s, params, zz),
      });
      return textLogits(s, params, states);
    };
    if (z.rank === 2) return run(z, tokens);
    const k = z.shape[0];
    if (typeof k !== 'number') throw new ModelSpecError('text decoding needs a known number of z samples');
    if (k === 1) return run(z.squeeze([0]), tokens).unsqueeze([0]);
    const n = z.shape[1];
    if (typeof n !== 'number') {
      // A symbolic batch cannot be folded (the IR never scales a batch symbol): one decoder per sample.
      const parts = Array.from({ length: k }, (_, i) =>
        run(z.slice([i], [i + 1], [0]).squeeze([0]), tokens).unsqueeze([0]),
      );
      return z.graph.apply1('Concat', parts, { axis: 0 });
    }
    const folded = tokens
      .unsqueeze([0])
      .expand([k, 1, 1])
      .reshape([k * n, len]);
    return run(z.reshape([k * n, s.latent]), folded).reshape([k, n, len, v]);
  }

  /**
   * p(x|z): the masked per-position categorical of the teacher-forced logits (nats per sequence,
   * padding never counts). Needs the batch's x (the decoder reads x shifted right); free-running
   * decoding is the `decoder` role.
   */
  override decode(params: Params, z: Tensor, batch: Partial<TextBatch> = {}): Distribution {
    const x = batch.x;
    if (!x) throw new ModelSpecError('a text decoder is teacher-forced: decode needs the batch with x');
    const logits = this.logits(params, z, batch.decoderInput ?? shiftRight(x));
    let mask = sequenceMask(x);
    if (z.rank === 3) mask = mask.unsqueeze([0]).expand([z.shape[0] as number, 1, 1]);
    return likelihoodFrom(this.spec.likelihood, this.spec.dataShape, logits, params, mask);
  }

  /** Not defined for a text model: its decoder needs the previous tokens (see `decode`, `roleGraph`). */
  override decodeParams(): Tensor {
    throw new ModelSpecError(
      'a text decoder reads the previous tokens: use decode with x, or the decoder role',
    );
  }

  /**
   * Word dropout (Bowman et al. 2016), training steps only: each real decoder input token (BOS
   * excluded) becomes UNK with probability `text.wordDropout`, from one uniform draw of `noise`.
   */
  override corrupt(batch: Batch, noise: NoiseSource): TextBatch {
    const p = this.spec.text?.wordDropout ?? 0;
    if (!p) return batch;
    const { x } = batch;
    const prev = x.slice([0], [(x.shape[1] as number) - 1], [1]);
    const drop = noise.uniform(prev.shape).less(p).cast('float32').mul(sequenceMask(prev));
    return { ...batch, decoderInput: withBos(prev.add(drop.mul(prev.rsub(TEXT_IDS.unk)))) };
  }

  /**
   * `encoder` / `encode-mean` as every VAE (x: float32 ids [N, L]); `decoder` is free-running
   * decoding, z [N, latent], uniform noise u [N, L, V] and temperature [1] -> ids [N, L] (see
   * {@link textDecodeGraph}); a text model has no `decode-mean`.
   */
  override roleGraph(
    role: VAERole,
    options: { bind?: Readonly<Record<string, HostTensor>> } = {},
  ): BuiltGraph {
    if (role === 'decoder') return textDecodeGraph(this, options);
    if (role === 'decode-mean')
      throw new ModelSpecError(
        'a text model has no mean; decode greedily with the decoder role at temperature 0',
      );
    return super.roleGraph(role, options);
  }
}

/**
 * A character-level text VAE (Bowman et al. 2016; layout in `textVAESpec`), or with `lm: true` the
 * language model of the same decoder and size with no latent variable (its loss is the exact NLL).
 *
 * @example
 * const m = textVAE({ vocab: 40, maxLen: 12, latent: 16, wordDropout: 0.25 });
 * m.spec.dataShape; // [13]: 12 characters and EOS
 */
export function textVAE(opts: TextVAEOptions): TextVAE {
  return new TextVAE(textVAESpec(opts));
}

/** The model a spec describes (a checkpoint's, say): a {@link TextVAE} for text specs, else a VAE. */
export function modelFromSpec(spec: VAESpec): VAE {
  return spec.likelihood.type === 'sequence-categorical' ? new TextVAE(spec) : new VAE(spec);
}
