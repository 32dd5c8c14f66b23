/**
 * Conv encoder/decoder presets for images of any size and channel count: one k4 s2 p1 conv per
 * hidden width down, the exact mirror up. Each conv maps a side s to floor(s / 2), so odd sides
 * lose a row; the decoder gives it back (`outputPadding`, or a wider kernel after upsampling).
 */
import { convOutLength } from '../ir/conv-params';
import { type LayerSpec, LayerSpecError, type Pair } from './spec';

/** Channel widths of the convs when none are given (convEncoder28's). */
export const DEFAULT_CONV_HIDDEN: readonly number[] = Object.freeze([32, 64]);

/** Image geometry and conv widths shared by {@link convEncoder} and {@link convDecoder}. */
export interface ConvStackOptions {
  readonly height: number;
  readonly width: number;
  /** Image channels: the encoder's input channels, the decoder's output channels. */
  readonly channels: number;
  /** One stride-2 conv per entry, its output channels; the first sees the image. Default [32, 64]. */
  readonly hidden?: readonly number[];
}

/**
 * `[height, width]` before and after each of `depth` k4 s2 p1 convs (`depth + 1` entries); a side
 * can reach 0, which {@link convStackProblem} reports.
 */
export function convStackSizes(height: number, width: number, depth: number): [number, number][] {
  const sizes: [number, number][] = [[height, width]];
  for (let i = 0; i < depth; i++) {
    const [h, w] = sizes[i]!;
    sizes.push([Math.max(0, convOutLength(h, 4, 2, 1, 1, 1)), Math.max(0, convOutLength(w, 4, 2, 1, 1, 1))]);
  }
  return sizes;
}

/**
 * Why a geometry cannot make a conv stack, as one line, or null when it can: e.g. `5x5 images are
 * too small for hidden [32, 64, 128]: each hidden width is a stride-2 conv that halves the size
 * (5x5 -> 2x2 -> 1x1 -> 0x0); give at most 2 hidden widths or larger images`.
 */
export function convStackProblem(o: ConvStackOptions): string | null {
  const hidden = o.hidden ?? DEFAULT_CONV_HIDDEN;
  const positive = (v: number) => Number.isSafeInteger(v) && v > 0;
  if (!positive(o.height) || !positive(o.width) || !positive(o.channels))
    return `height, width and channels must be positive integers, got ${o.height}x${o.width}x${o.channels}`;
  if (hidden.length === 0 || !hidden.every(positive))
    return `hidden must list one or more positive channel widths, got [${hidden.join(', ')}]`;
  const sizes = convStackSizes(o.height, o.width, hidden.length);
  const fits = sizes.findIndex(([h, w]) => h < 1 || w < 1);
  if (fits < 0) return null;
  const chain = sizes
    .slice(0, fits + 1)
    .map(([h, w]) => `${h}x${w}`)
    .join(' -> ');
  const most = fits - 1; // convs that still leave a pixel
  const fix =
    most > 0
      ? `give at most ${most} hidden width${most === 1 ? '' : 's'} or larger images`
      : 'give images of at least 2x2 pixels';
  return (
    `${o.height}x${o.width} images are too small for hidden [${hidden.join(', ')}]: each hidden width is ` +
    `a stride-2 conv that halves the size (${chain}); ${fix}`
  );
}

/** The sizes of a stack that fits; a LayerSpecError naming `what` otherwise. */
function fittingSizes(o: ConvStackOptions, what: string): [number, number][] {
  const problem = convStackProblem(o);
  if (problem) throw new LayerSpecError('', what, problem);
  return convStackSizes(o.height, o.width, (o.hidden ?? DEFAULT_CONV_HIDDEN).length);
}

/** A number when both entries agree (as the 28x28 presets write it), else the pair. */
const pairSpec = (a: number, b: number): Pair => (a === b ? a : [a, b]);

/**
 * Conv encoder for `channels x height x width` images: per hidden width, conv k4 s2 p1 and relu;
 * then flatten and dense to `outFeatures` (e.g. 2 x latent for a Gaussian posterior).
 * @throws LayerSpecError when a side would shrink to 0 (see {@link convStackProblem})
 */
export function convEncoder(o: ConvStackOptions & { readonly outFeatures: number }): LayerSpec {
  const hidden = o.hidden ?? DEFAULT_CONV_HIDDEN;
  const [h, w] = fittingSizes(o, 'convEncoder').at(-1)!;
  const convs = hidden.flatMap((out, i): LayerSpec[] => [
    {
      type: 'conv2d',
      inChannels: i === 0 ? o.channels : hidden[i - 1]!,
      outChannels: out,
      kernel: 4,
      stride: 2,
      padding: 1,
    },
    { type: 'activation', fn: 'relu' },
  ]);
  return {
    type: 'sequential',
    layers: [
      ...convs,
      { type: 'flatten' },
      { type: 'dense', in: hidden.at(-1)! * h * w, out: o.outFeatures },
    ],
  };
}

/**
 * The exact mirror of {@link convEncoder}, from `latent` features to `channels x height x width`:
 * dense to the last conv's output, relu, reshape, then per hidden width (last first) a transposed
 * conv k4 s2 p1 with `outputPadding` 1 on the sides the encoder floored (7 -> 3 comes back 3 -> 7),
 * relu between them, none after the last. With `upsample`: nearest x2 and a conv instead of each
 * transposed conv (no checkerboard artefacts), k3 p1 for an even side, k4 p2 (one more row) for an
 * odd one.
 * @throws LayerSpecError when a side would shrink to 0 (see {@link convStackProblem})
 */
export function convDecoder(
  o: ConvStackOptions & { readonly latent: number; readonly upsample?: boolean },
): LayerSpec {
  const hidden = o.hidden ?? DEFAULT_CONV_HIDDEN;
  const sizes = fittingSizes(o, 'convDecoder');
  const n = hidden.length;
  const [h, w] = sizes[n]!;
  const up = Array.from({ length: n }, (_, j): LayerSpec[] => {
    const i = n - 1 - j; // the encoder conv this step undoes: sizes[i + 1] -> sizes[i]
    const inChannels = hidden[i]!;
    const outChannels = i === 0 ? o.channels : hidden[i - 1]!;
    const [oh, ow] = [sizes[i]![0] - 2 * sizes[i + 1]![0], sizes[i]![1] - 2 * sizes[i + 1]![1]];
    const steps: LayerSpec[] = o.upsample
      ? [
          { type: 'upsample', scale: 2 },
          {
            type: 'conv2d',
            inChannels,
            outChannels,
            kernel: pairSpec(3 + oh, 3 + ow),
            padding: pairSpec(1 + oh, 1 + ow),
          },
        ]
      : [
          {
            type: 'convTranspose2d',
            inChannels,
            outChannels,
            kernel: 4,
            stride: 2,
            padding: 1,
            ...(oh || ow ? { outputPadding: pairSpec(oh, ow) } : {}),
          },
        ];
    return i === 0 ? steps : [...steps, { type: 'activation', fn: 'relu' }];
  }).flat();
  return {
    type: 'sequential',
    layers: [
      { type: 'dense', in: o.latent, out: hidden[n - 1]! * h * w },
      { type: 'activation', fn: 'relu' },
      { type: 'reshape', shape: [hidden[n - 1]!, h, w] },
      ...up,
    ],
  };
}
