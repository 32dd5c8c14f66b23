import { formatShape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseSource } from '../random/noise';
import { applyConv1d } from './conv1d';
import { applyEmbedding } from './embedding';
import { gru } from './gru';
import { lstm } from './lstm';
import { applyPermute, applyRepeat } from './permute';
import { leafOutputShape, leafParams } from './shapes';
import { type ActivationSpec, join, type LayerSpec, LayerSpecError, pairOf } from './spec';
import { validate } from './validate';

/** How a layer stack is run: training mode (dropout active) and where dropout gets its noise. */
export interface ApplyContext {
  /** Default false: dropout is the identity. */
  readonly train?: boolean;
  /** Required when training with dropout: its uniform draws become graph inputs. */
  readonly noise?: NoiseSource;
  /** float32 `[N, L]` sequence mask for recurrent layers (1 = a real step, 0 = padding); default all real. */
  readonly mask?: Tensor;
}

/** Reads a parameter, checking it is there with the shape the spec wants. */
function param(
  params: Readonly<Record<string, Tensor>>,
  spec: LayerSpec,
  path: string,
  name: string,
  shape: readonly number[],
): Tensor {
  const full = join(path, name);
  const t = params[full];
  if (!t) throw new LayerSpecError(path, spec.type, `missing parameter ${full}`);
  if (formatShape(t.shape) !== formatShape(shape))
    throw new LayerSpecError(
      path,
      spec.type,
      `parameter ${full} has shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`,
    );
  return t;
}

function activation(spec: ActivationSpec, x: Tensor): Tensor {
  switch (spec.fn) {
    case 'relu':
      return x.relu();
    case 'leakyRelu':
      return x.leakyRelu(spec.alpha ?? 0.01);
    case 'elu':
      return x.elu(spec.alpha ?? 1);
    case 'tanh':
      return x.tanh();
    case 'sigmoid':
      return x.sigmoid();
    case 'softplus':
      return x.softplus();
    case 'identity':
      return x;
  }
}

/** Builds one non-container layer. */
function applyLeaf(
  spec: LayerSpec,
  params: Readonly<Record<string, Tensor>>,
  x: Tensor,
  ctx: ApplyContext,
  path: string,
): Tensor {
  leafOutputShape(spec, x.shape, path); // validates the fit with a layer-level message
  const ps = Object.fromEntries(
    leafParams(spec).map((q) => [q.name, param(params, spec, path, q.name, q.shape)]),
  );
  const g = x.graph;
  switch (spec.type) {
    case 'dense': {
      const y = x.matmul(ps.weight!);
      return ps.bias ? y.add(ps.bias) : y;
    }
    case 'conv2d':
    case 'convTranspose2d': {
      const [k, s, pd, d] = [spec.kernel, spec.stride ?? 1, spec.padding ?? 0, spec.dilation ?? 1].map(
        pairOf,
      );
      const attrs = {
        kernel_shape: k!,
        strides: s!,
        pads: [pd![0], pd![1], pd![0], pd![1]],
        dilations: d!,
        group: spec.groups ?? 1,
        ...(spec.type === 'convTranspose2d' ? { output_padding: pairOf(spec.outputPadding ?? 0) } : {}),
      };
      const ins = ps.bias ? [x, ps.weight!, ps.bias] : [x, ps.weight!];
      return g.apply1(spec.type === 'conv2d' ? 'Conv' : 'ConvTranspose', ins, attrs);
    }
    case 'conv1d':
    case 'convTranspose1d':
      return applyConv1d(spec, x, ps.weight!, ps.bias);
    case 'embedding':
      return applyEmbedding(x, ps.weight!, (d) => {
        throw new LayerSpecError(path, spec.type, d);
      });
    case 'gru':
    case 'lstm': {
      const steps = formatShape(x.shape.slice(0, 2));
      if (ctx.mask && (ctx.mask.dtype !== 'float32' || formatShape(ctx.mask.shape) !== steps))
        throw new LayerSpecError(path, spec.type, `mask must be float32 ${steps}, got ${ctx.mask}`);
      const { weight_ih, weight_hh, bias_ih, bias_hh } = ps;
      const params = { weight_ih: weight_ih!, weight_hh: weight_hh!, bias_ih, bias_hh };
      const run = spec.type === 'gru' ? gru : lstm;
      return run(x, params, { mask: ctx.mask, output: spec.output ?? 'all' });
    }
    case 'permute':
      return applyPermute(spec, x);
    case 'repeat':
      return applyRepeat(spec, x);
    case 'upsample': {
      const [sh, sw] = pairOf(spec.scale);
      const scales = g.constant({ dtype: 'float32', shape: [4], data: Float32Array.of(1, 1, sh, sw) });
      return g.apply1('Resize', [x, null, scales]);
    }
    case 'reshape':
      return x.reshape([0, ...spec.shape]);
    case 'flatten':
      return x.flatten(1);
    case 'activation':
      return activation(spec, x);
    case 'layerNorm': {
      const attrs = { axis: -spec.shape.length, epsilon: spec.eps ?? 1e-5 };
      if (ps.weight) return g.apply1('LayerNormalization', [x, ps.weight, ps.bias!], attrs);
      const n = spec.shape.reduce((a, v) => a * v, 1);
      const ones = g.constant({
        dtype: 'float32',
        shape: [...spec.shape],
        data: new Float32Array(n).fill(1),
      });
      return g.apply1('LayerNormalization', [x, ones], attrs);
    }
    case 'batchNorm':
      return g.apply1('BatchNormalization', [x, ps.weight!, ps.bias!, ps.running_mean!, ps.running_var!], {
        epsilon: spec.eps ?? 1e-5,
      });
    case 'dropout': {
      if (!ctx.train || spec.rate === 0) return x;
      if (spec.rate === 1) return x.mul(0);
      if (!ctx.noise) throw new LayerSpecError(path, spec.type, 'training with dropout needs ctx.noise');
      // torch: drop where u < rate, scale survivors by 1/(1 - rate)
      const drop = ctx.noise.uniform(x.shape).less(spec.rate).cast('float32');
      return x.mul(drop.rsub(1).mul(1 / (1 - spec.rate)));
    }
    default:
      throw new LayerSpecError(path, spec.type, 'is a container');
  }
}

/**
 * Builds `spec` applied to `x` into x's graph and returns the output. `params` holds tensors named
 * as `paramShapes(spec, prefix)` says (graph inputs, constants or loop-carried values). Dense is
 * `x.matmul(weight).add(bias)` with weight `[in, out]`; convolutions use ONNX weight layouts.
 * Throws a {@link LayerSpecError} naming the layer when the input or a parameter does not fit.
 */
export function apply(
  spec: LayerSpec,
  params: Readonly<Record<string, Tensor>>,
  x: Tensor,
  ctx: ApplyContext = {},
  prefix = '',
): Tensor {
  validate(spec, prefix);
  return build(spec, params, x, ctx, prefix);
}

function build(
  spec: LayerSpec,
  params: Readonly<Record<string, Tensor>>,
  x: Tensor,
  ctx: ApplyContext,
  prefix: string,
): Tensor {
  if (spec.type === 'sequential')
    return spec.layers.reduce((h, l, i) => build(l, params, h, ctx, join(prefix, i)), x);
  if (spec.type === 'residual') {
    const y = build(spec.body, params, x, ctx, join(prefix, 'body'));
    if (formatShape(y.shape) !== formatShape(x.shape))
      throw new LayerSpecError(
        prefix,
        'residual',
        `body maps ${formatShape(x.shape)} to ${formatShape(y.shape)}; it must keep the shape`,
      );
    return x.add(y);
  }
  return applyLeaf(spec, params, x, ctx, prefix);
}
