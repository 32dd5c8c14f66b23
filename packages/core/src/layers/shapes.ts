import { convOutLength, convTransposeOutLength } from '../ir/conv-params';
import { type Dim, formatShape, type Shape } from '../ir/shape';
import { conv1dOutputShape, conv1dWeightShape } from './conv1d';
import { embeddingOutputShape } from './embedding';
import { permuteOutputShape, repeatOutputShape } from './permute';
import { recurrentOutputShape, recurrentParamShapes } from './recurrent';
import { join, type LayerSpec, LayerSpecError, pairOf } from './spec';
import { validate } from './validate';

/** One parameter of a leaf layer: its name suffix, shape, and whether an optimizer trains it. */
export interface ParamInfo {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
}

const p = (name: string, shape: number[], trainable = true): ParamInfo => ({ name, shape, trainable });

/** Parameters of one non-container layer, in a fixed order (weight first). */
export function leafParams(spec: LayerSpec): ParamInfo[] {
  switch (spec.type) {
    case 'dense':
      return [p('weight', [spec.in, spec.out]), ...(spec.bias === false ? [] : [p('bias', [spec.out])])];
    case 'conv2d':
    case 'convTranspose2d': {
      const [kh, kw] = pairOf(spec.kernel);
      const g = spec.groups ?? 1;
      const w =
        spec.type === 'conv2d'
          ? [spec.outChannels, spec.inChannels / g, kh, kw]
          : [spec.inChannels, spec.outChannels / g, kh, kw];
      return [p('weight', w), ...(spec.bias === false ? [] : [p('bias', [spec.outChannels])])];
    }
    case 'conv1d':
    case 'convTranspose1d':
      return [
        p('weight', conv1dWeightShape(spec)),
        ...(spec.bias === false ? [] : [p('bias', [spec.outChannels])]),
      ];
    case 'embedding':
      return [p('weight', [spec.vocab, spec.dim])];
    case 'gru':
    case 'lstm':
      return recurrentParamShapes(spec, spec.type === 'gru' ? 3 : 4).map(([name, shape]) => p(name, shape));
    case 'layerNorm':
      return spec.affine === false ? [] : [p('weight', [...spec.shape]), p('bias', [...spec.shape])];
    case 'batchNorm': {
      const c = [spec.channels];
      return [p('weight', c), p('bias', c), p('running_mean', c, false), p('running_var', c, false)];
    }
    default:
      return [];
  }
}

/** Visits every leaf layer with its parameter prefix (sequential: `prefix.i`, residual: `prefix.body`). */
export function forEachLeaf(
  spec: LayerSpec,
  prefix: string,
  fn: (leaf: LayerSpec, prefix: string) => void,
): void {
  if (spec.type === 'sequential') spec.layers.forEach((l, i) => forEachLeaf(l, join(prefix, i), fn));
  else if (spec.type === 'residual') forEachLeaf(spec.body, join(prefix, 'body'), fn);
  else fn(spec, prefix);
}

/**
 * Parameter names and shapes, e.g. `{ 'enc.0.weight': [784, 400], ... }`, so a caller can declare
 * graph inputs for them. Includes batchNorm's running statistics unless `trainableOnly`.
 */
export function paramShapes(
  spec: LayerSpec,
  prefix = '',
  opts: { trainableOnly?: boolean } = {},
): Record<string, number[]> {
  validate(spec, prefix);
  const out: Record<string, number[]> = {};
  forEachLeaf(spec, prefix, (leaf, pre) => {
    for (const q of leafParams(leaf))
      if (q.trainable || !opts.trainableOnly) out[join(pre, q.name)] = [...q.shape];
  });
  return out;
}

/** Number of trained scalars (as `sum(p.numel() for p in m.parameters())`: running stats excluded). */
export function paramCount(spec: LayerSpec): number {
  const shapes = paramShapes(spec, '', { trainableOnly: true });
  return Object.values(shapes).reduce((n, s) => n + s.reduce((a, d) => a * d, 1), 0);
}

/** Product of static dims; throws naming the layer when one is symbolic. */
function staticCount(dims: Shape, fail: (d: string) => never, what: string): number {
  let n = 1;
  for (const d of dims) {
    if (typeof d !== 'number') fail(`${what} must be static, got ${formatShape(dims)}`);
    n *= d as number;
  }
  return n;
}

/** Output shape of one non-container layer for input shape `x` (dim 0 is the batch); validates the fit. */
export function leafOutputShape(spec: LayerSpec, x: Shape, path: string): Dim[] {
  const fail = (detail: string): never => {
    throw new LayerSpecError(path, spec.type, detail);
  };
  const nchw = (): [Dim, number, number, number] => {
    const [n, c, h, w] = x;
    if (x.length !== 4 || typeof c !== 'number' || typeof h !== 'number' || typeof w !== 'number')
      fail(`needs a 4-D NCHW input with static C, H, W; got ${formatShape(x)}`);
    return [n!, c as number, h as number, w as number];
  };
  switch (spec.type) {
    case 'dense': {
      const last = x[x.length - 1];
      if (x.length < 2) fail(`needs an input [batch, ..., ${spec.in}], got ${formatShape(x)}`);
      if (last !== spec.in) fail(`in=${spec.in} but input has ${String(last)} features ${formatShape(x)}`);
      return [...x.slice(0, -1), spec.out];
    }
    case 'conv2d':
    case 'convTranspose2d': {
      const [n, c, h, w] = nchw();
      if (c !== spec.inChannels)
        fail(`inChannels=${spec.inChannels} but input has ${c} channels ${formatShape(x)}`);
      const [k, s, pd, d] = [spec.kernel, spec.stride ?? 1, spec.padding ?? 0, spec.dilation ?? 1].map(
        pairOf,
      );
      const op = pairOf(spec.type === 'convTranspose2d' ? (spec.outputPadding ?? 0) : 0);
      const len = (size: number, i: 0 | 1) =>
        spec.type === 'conv2d'
          ? convOutLength(size, k![i], s![i], d![i], pd![i], pd![i])
          : convTransposeOutLength(size, k![i], s![i], d![i], pd![i], pd![i], op[i]);
      const [oh, ow] = [len(h, 0), len(w, 1)];
      if (oh < 1 || ow < 1) fail(`output would be empty (${oh}x${ow}) for input ${formatShape(x)}`);
      return [n, spec.outChannels, oh, ow];
    }
    case 'conv1d':
    case 'convTranspose1d':
      return conv1dOutputShape(spec, x, fail);
    case 'embedding':
      return embeddingOutputShape(spec, x, fail);
    case 'gru':
    case 'lstm':
      return recurrentOutputShape(spec, x, fail);
    case 'permute':
      return permuteOutputShape(spec, x, fail);
    case 'repeat':
      return repeatOutputShape(spec, x, fail);
    case 'upsample': {
      const [n, c, h, w] = nchw();
      const [sh, sw] = pairOf(spec.scale);
      return [n, c, h * sh, w * sw];
    }
    case 'reshape': {
      if (x.length < 1) fail('needs a batch dim');
      const have = staticCount(x.slice(1), fail, 'per-example dims');
      const known = spec.shape.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
      const shape = spec.shape.map((d) => (d === -1 ? have / known : d));
      if (!shape.every(Number.isInteger) || shape.reduce((a, d) => a * d, 1) !== have)
        fail(`cannot reshape ${formatShape(x.slice(1))} (${have} values per example) to [${spec.shape}]`);
      return [x[0]!, ...shape];
    }
    case 'flatten':
      if (x.length < 1) fail('needs a batch dim');
      return [x[0]!, staticCount(x.slice(1), fail, 'per-example dims')];
    case 'layerNorm': {
      const tail = x.slice(x.length - spec.shape.length);
      if (x.length <= spec.shape.length || formatShape(tail) !== formatShape(spec.shape))
        fail(`normalises trailing dims [${spec.shape}] but input is ${formatShape(x)}`);
      return [...x];
    }
    case 'batchNorm':
      if (x.length < 2 || x[1] !== spec.channels)
        fail(`channels=${spec.channels} but input ${formatShape(x)} has ${String(x[1])} in dim 1`);
      return [...x];
    case 'activation':
    case 'dropout':
      return [...x];
    default:
      return fail('is a container; use outputShape');
  }
}

/**
 * Output shape of `spec` on an input of shape `inShape` (dim 0 is the batch, e.g. `'N'`). Throws a
 * {@link LayerSpecError} naming the first layer that does not fit, e.g. `dense in=784 but input has 400 features`.
 */
export function outputShape(spec: LayerSpec, inShape: Shape, prefix = ''): Dim[] {
  validate(spec, prefix);
  return shapeThrough(spec, inShape, prefix);
}

function shapeThrough(spec: LayerSpec, x: Shape, prefix: string): Dim[] {
  if (spec.type === 'sequential')
    return spec.layers.reduce<Dim[]>((s, l, i) => shapeThrough(l, s, join(prefix, i)), [...x]);
  if (spec.type === 'residual') {
    const y = shapeThrough(spec.body, x, join(prefix, 'body'));
    if (formatShape(y) !== formatShape(x))
      throw new LayerSpecError(
        prefix,
        'residual',
        `body maps ${formatShape(x)} to ${formatShape(y)}; it must keep the shape`,
      );
    return y;
  }
  return leafOutputShape(spec, x, prefix);
}
