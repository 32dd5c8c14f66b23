/**
 * Time-series VAEs over windows `[channels, window]` (channels first, standardised, as
 * `@vae/datasets` windows them). Both are ordinary {@link VAE}s: their specs are layer stacks, so
 * training, evaluation, export and scoring need nothing new. Per-time-step scores are in
 * `series-scores.ts`.
 */
import { convOutLength } from '../ir/conv-params';
import type { LayerSpec } from '../layers/spec';
import { likelihoodParamShape } from './likelihood';
import { type LikelihoodSpec, ModelSpecError, type PriorSpec, type VAESpec } from './spec';
import { VAE } from './vae';

/** What both series builders take. */
export interface SeriesVAEOptions {
  /** Series per window (the data's first axis). */
  readonly channels: number;
  /** Time steps per window (the data's second axis). */
  readonly window: number;
  /** Default 8. */
  readonly latent?: number;
  /**
   * Default Gaussian with one learned scale shared by every channel and step: the channels are
   * standardised to unit variance, and a window's steps are interchangeable positions of a
   * stationary series, so a scale per (channel, position) would mostly fit where a step sits in
   * its window. `{ type: 'gaussian', scale: 'learned' }` gives that per-feature scale.
   */
  readonly likelihood?: LikelihoodSpec;
  /** Default standard normal. */
  readonly prior?: PriorSpec;
}

const DEFAULT_LIKELIHOOD: LikelihoodSpec = { type: 'gaussian', scale: 'learned-shared' };
const relu: LayerSpec = { type: 'activation', fn: 'relu' };

/** Window lengths before and after each k4 s2 p1 conv (`depth + 1` entries; floor(L / 2) each). */
export function seriesConvLengths(window: number, depth: number): number[] {
  const lengths = [window];
  for (let i = 0; i < depth; i++) lengths.push(Math.max(0, convOutLength(lengths[i]!, 4, 2, 1, 1, 1)));
  return lengths;
}

function spec(o: SeriesVAEOptions, encoder: LayerSpec, decoder: LayerSpec): VAESpec {
  return {
    kind: 'vae',
    dataShape: [o.channels, o.window],
    latent: o.latent ?? 8,
    encoder,
    decoder,
    likelihood: o.likelihood ?? DEFAULT_LIKELIHOOD,
    prior: o.prior ?? { type: 'standard-normal' },
  };
}

function checkGeometry(what: string, o: SeriesVAEOptions): void {
  const ok = (v: number) => Number.isSafeInteger(v) && v > 0;
  if (!ok(o.channels) || !ok(o.window))
    throw new ModelSpecError(
      `${what}: channels and window must be positive integers, got ${o.channels}, ${o.window}`,
    );
}

/** Options of {@link seriesConvVAE}. */
export interface SeriesConvVAEOptions extends SeriesVAEOptions {
  /** Output channels of the stride-2 conv1d layers, input side first. Default [32, 64]. */
  readonly hidden?: readonly number[];
}

/**
 * A 1-D convolutional VAE for windows `[channels, window]`: per `hidden` width a conv1d k4 s2 p1
 * and relu (each halves the length, rounding down), flatten, dense to 2 x latent; the decoder is
 * the exact mirror (dense, relu, reshape, convTranspose1d k4 s2 p1 with `outputPadding` 1 where the
 * encoder dropped a step, so 25 -> 12 -> 6 decodes 6 -> 12 -> 25), ending in the likelihood's
 * parameters (the Gaussian's mean per channel and step).
 *
 * @example
 * const m = seriesConvVAE({ channels: 3, window: 50, latent: 8 });
 * m.spec.dataShape; // [3, 50]
 * @throws ModelSpecError when the window is too short for the convs, naming what to change
 */
export function seriesConvVAE(o: SeriesConvVAEOptions): VAE {
  checkGeometry('seriesConvVAE', o);
  const hidden = o.hidden ?? [32, 64];
  if (hidden.length === 0 || !hidden.every((h) => Number.isSafeInteger(h) && h > 0))
    throw new ModelSpecError(
      `seriesConvVAE: hidden must list positive conv widths, got [${hidden.join(', ')}]`,
    );
  const lengths = seriesConvLengths(o.window, hidden.length);
  const n = hidden.length;
  if (lengths[n]! < 1)
    throw new ModelSpecError(
      `seriesConvVAE: a window of ${o.window} steps is too short for ${n} stride-2 convs ` +
        `(${lengths.join(' -> ')}): give fewer hidden widths or a window of at least ${2 ** n}`,
    );
  const latent = o.latent ?? 8;
  const likelihood = o.likelihood ?? DEFAULT_LIKELIHOOD;
  const outChannels = likelihoodParamShape(likelihood, [o.channels, o.window])[0]!;
  const down = hidden.flatMap((out, i): LayerSpec[] => [
    {
      type: 'conv1d',
      inChannels: i ? hidden[i - 1]! : o.channels,
      outChannels: out,
      kernel: 4,
      stride: 2,
      padding: 1,
    },
    relu,
  ]);
  const up = hidden.flatMap((_, j): LayerSpec[] => {
    const i = n - 1 - j; // undoes encoder conv i: lengths[i + 1] -> lengths[i]
    const extra = lengths[i]! - 2 * lengths[i + 1]!;
    const conv: LayerSpec = {
      type: 'convTranspose1d',
      inChannels: hidden[i]!,
      outChannels: i ? hidden[i - 1]! : outChannels,
      kernel: 4,
      stride: 2,
      padding: 1,
      ...(extra ? { outputPadding: extra } : {}),
    };
    return i ? [conv, relu] : [conv];
  });
  const encoder: LayerSpec = {
    type: 'sequential',
    layers: [
      ...down,
      { type: 'flatten' },
      { type: 'dense', in: hidden[n - 1]! * lengths[n]!, out: 2 * latent },
    ],
  };
  const decoder: LayerSpec = {
    type: 'sequential',
    layers: [
      { type: 'dense', in: latent, out: hidden[n - 1]! * lengths[n]! },
      relu,
      { type: 'reshape', shape: [hidden[n - 1]!, lengths[n]!] },
      ...up,
    ],
  };
  return new VAE(spec({ ...o, latent, likelihood }, encoder, decoder));
}

/** Options of {@link seriesGruVAE}. */
export interface SeriesGruVAEOptions extends SeriesVAEOptions {
  /** Hidden size of both GRUs. Default 64. */
  readonly hidden?: number;
}

/**
 * A recurrent VAE for windows `[channels, window]`: the encoder reads the window step by step
 * (permute to `[N, window, channels]`, GRU) and maps its last state to 2 x latent; the decoder GRU
 * gets z at every step (z repeated over the window) and a dense layer maps each state to that
 * step's likelihood parameters, permuted back to `[N, channels, window]`.
 *
 * z at every step rather than as the initial state only: the decoder reads the code where it
 * emits each step, so late steps of a long window do not depend on z surviving many state
 * updates, and the whole model stays a plain layer stack (no h0 plumbing), hence an ordinary VAE.
 *
 * @example
 * const m = seriesGruVAE({ channels: 1, window: 30, hidden: 32 });
 */
export function seriesGruVAE(o: SeriesGruVAEOptions): VAE {
  checkGeometry('seriesGruVAE', o);
  const h = o.hidden ?? 64;
  if (!(Number.isSafeInteger(h) && h > 0))
    throw new ModelSpecError(`seriesGruVAE: hidden must be a positive integer, got ${h}`);
  const latent = o.latent ?? 8;
  const likelihood = o.likelihood ?? DEFAULT_LIKELIHOOD;
  const out = likelihoodParamShape(likelihood, [o.channels, o.window])[0]!;
  const encoder: LayerSpec = {
    type: 'sequential',
    layers: [
      { type: 'permute', perm: [1, 0] },
      { type: 'gru', inputSize: o.channels, hiddenSize: h, output: 'last' },
      { type: 'dense', in: h, out: 2 * latent },
    ],
  };
  const decoder: LayerSpec = {
    type: 'sequential',
    layers: [
      { type: 'repeat', times: o.window },
      { type: 'gru', inputSize: latent, hiddenSize: h },
      { type: 'dense', in: h, out },
      { type: 'permute', perm: [1, 0] },
    ],
  };
  return new VAE(spec({ ...o, latent, likelihood }, encoder, decoder));
}
