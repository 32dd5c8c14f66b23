import { convDecoder, convEncoder, convStackProblem, DEFAULT_CONV_HIDDEN } from '../layers/conv-stack';
import { conditionWidth } from './conditioning';
import { likelihoodParamShape } from './likelihood';
import {
  type ConditionSpec,
  type LikelihoodSpec,
  ModelSpecError,
  type PriorSpec,
  type VAESpec,
} from './spec';
import { VAE } from './vae';

/** Options of {@link convVAE28} (and of {@link convVAE}, which adds the geometry). */
export interface ConvVAEOptions {
  latent?: number;
  likelihood?: LikelihoodSpec;
  prior?: PriorSpec;
  condition?: ConditionSpec;
  /** Nearest upsampling + conv instead of transposed convs in the decoder. */
  upsample?: boolean;
}

/** Options of {@link convVAE}: the image geometry, the conv widths, and the model's parts. */
export interface ConvVAEImageOptions extends ConvVAEOptions {
  readonly height: number;
  readonly width: number;
  /** 1 for grey, 3 for RGB; data are `[channels, height, width]` (channel-major, CHW). */
  readonly channels: number;
  /** Output channels of the stride-2 convs, one conv each, image side first. Default [32, 64]. */
  readonly hidden?: readonly number[];
}

/**
 * A convolutional VAE for `channels x height x width` images (channel-major, CHW): per `hidden`
 * width a conv k4 s2 p1 with relu, then flatten and dense to 2 x latent (posterior mean and
 * log-variance); the decoder is the exact mirror (dense, reshape, transposed convs with
 * `outputPadding` where the encoder floored an odd side, so 28 -> 14 -> 7 -> 3 decodes 3 -> 7 ->
 * 14 -> 28). The decoder outputs the likelihood's parameters (`likelihoodParamShape`: e.g. 2C
 * channels of location and log-scale for a discretized logistic). A condition enters the encoder as
 * constant extra input channels and the decoder concatenated to z. Defaults: latent 16, hidden
 * [32, 64], Bernoulli likelihood, standard-normal prior; `convVAE({ height: 28, width: 28,
 * channels: 1 })` is {@link convVAE28}.
 *
 * @example
 * const m = convVAE({ height: 32, width: 32, channels: 3, likelihood: { type: 'discretized-logistic' } });
 * m.spec.dataShape; // [3, 32, 32]
 * @throws ModelSpecError when the size cannot take the convs (a side would reach 0), naming the
 *   size, the hidden widths and what to change
 */
export function convVAE(opts: ConvVAEImageOptions): VAE {
  const { height, width, channels } = opts;
  const hidden = opts.hidden ?? DEFAULT_CONV_HIDDEN;
  const problem = convStackProblem({ height, width, channels, hidden });
  if (problem) throw new ModelSpecError(`convVAE: ${problem}`);
  const latent = opts.latent ?? 16;
  const likelihood = opts.likelihood ?? { type: 'bernoulli' };
  const cw = opts.condition ? conditionWidth(opts.condition) : 0;
  const dataShape = [channels, height, width];
  const outChannels = likelihoodParamShape(likelihood, dataShape)[0]!;
  const spec: VAESpec = {
    kind: 'vae',
    dataShape,
    latent,
    encoder: convEncoder({ height, width, channels: channels + cw, hidden, outFeatures: 2 * latent }),
    decoder: convDecoder({
      height,
      width,
      channels: outChannels,
      hidden,
      latent: latent + cw,
      upsample: opts.upsample ?? false,
    }),
    likelihood,
    prior: opts.prior ?? { type: 'standard-normal' },
    ...(opts.condition ? { condition: opts.condition } : {}),
  };
  return new VAE(spec);
}
