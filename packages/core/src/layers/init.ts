import { normal, type PRNGKey, split, uniform } from '@vae/random';
import type { HostTensor } from '../ir/dtype';
import { leafParams } from './shapes';
import { join, type LayerSpec, pairOf } from './spec';
import { validate } from './validate';

/** Fans as torch computes them from its weight layout: dim 1 x receptive field, dim 0 x receptive field. */
export function fans(spec: LayerSpec): { fanIn: number; fanOut: number } {
  switch (spec.type) {
    case 'dense':
      return { fanIn: spec.in, fanOut: spec.out };
    case 'conv2d':
    case 'convTranspose2d': {
      const [kh, kw] = pairOf(spec.kernel);
      const g = spec.groups ?? 1;
      const [d0, d1] =
        spec.type === 'conv2d'
          ? [spec.outChannels, spec.inChannels / g]
          : [spec.inChannels, spec.outChannels / g];
      return { fanIn: d1 * kh * kw, fanOut: d0 * kh * kw };
    }
    case 'conv1d':
    case 'convTranspose1d': {
      const g = spec.groups ?? 1;
      const [d0, d1] =
        spec.type === 'conv1d'
          ? [spec.outChannels, spec.inChannels / g]
          : [spec.inChannels, spec.outChannels / g];
      return { fanIn: d1 * spec.kernel, fanOut: d0 * spec.kernel };
    }
    default:
      return { fanIn: 0, fanOut: 0 };
  }
}

const tensor = (shape: readonly number[], data: Float32Array): HostTensor<'float32'> => ({
  dtype: 'float32',
  shape: [...shape],
  data,
});
const filled = (shape: readonly number[], v: number) =>
  tensor(shape, new Float32Array(shape.reduce((a, d) => a * d, 1)).fill(v));

/** Parameters of one leaf layer; its weight and bias use independent keys split from `key`. */
function initLeaf(spec: LayerSpec, key: PRNGKey, prefix: string, out: Record<string, HostTensor>): void {
  const params = leafParams(spec);
  if (params.length === 0) return;
  if (spec.type === 'embedding' || spec.type === 'gru' || spec.type === 'lstm') {
    // torch: Embedding ~ N(0, 1); every GRU/LSTM weight and bias ~ U(±1/sqrt(hidden)). One key each.
    const keys = split(key, params.length);
    params.forEach((q, i) => {
      const n = q.shape.reduce((a, d) => a * d, 1);
      const b = spec.type === 'embedding' ? 0 : 1 / Math.sqrt(spec.hiddenSize);
      const data = b ? uniform(keys[i]!, n, { low: -b, high: b }) : normal(keys[i]!, n);
      out[join(prefix, q.name)] = tensor(q.shape, data);
    });
    return;
  }
  const [kw, kb] = split(key, 2) as [PRNGKey, PRNGKey];
  for (const q of params) {
    const n = q.shape.reduce((a, d) => a * d, 1);
    const name = join(prefix, q.name);
    if (
      spec.type === 'dense' ||
      spec.type === 'conv2d' ||
      spec.type === 'convTranspose2d' ||
      spec.type === 'conv1d' ||
      spec.type === 'convTranspose1d'
    ) {
      const { fanIn, fanOut } = fans(spec);
      const scheme = spec.init ?? 'torch';
      const isWeight = q.name === 'weight';
      let data: Float32Array;
      if (scheme === 'torch') {
        // kaiming_uniform_(a=sqrt(5)) gives bound = sqrt(6 / ((1 + 5) fan_in)) = 1/sqrt(fan_in); bias likewise
        const b = 1 / Math.sqrt(fanIn);
        data = uniform(isWeight ? kw : kb, n, { low: -b, high: b });
      } else if (!isWeight) data = new Float32Array(n);
      else if (scheme === 'glorot') {
        const b = Math.sqrt(6 / (fanIn + fanOut));
        data = uniform(kw, n, { low: -b, high: b });
      } else data = normal(kw, n, { std: Math.sqrt(2 / fanIn) });
      out[name] = tensor(q.shape, data);
    } else {
      // norms: weight and running_var start at 1, bias and running_mean at 0 (torch)
      out[name] = filled(q.shape, q.name === 'weight' || q.name === 'running_var' ? 1 : 0);
    }
  }
}

/**
 * Fresh parameters for `spec`, named like `enc.0.weight` under `prefix`. Deterministic in `key`:
 * a sequential splits its key once per child, a residual passes its key to the body.
 * Default init is PyTorch's ('torch'); see `InitScheme`.
 */
export function init(spec: LayerSpec, key: PRNGKey, prefix = ''): Record<string, HostTensor> {
  validate(spec, prefix);
  const out: Record<string, HostTensor> = {};
  const walk = (s: LayerSpec, k: PRNGKey, pre: string): void => {
    if (s.type === 'sequential') {
      const keys = split(k, s.layers.length);
      s.layers.forEach((l, i) => walk(l, keys[i]!, join(pre, i)));
    } else if (s.type === 'residual') walk(s.body, k, join(pre, 'body'));
    else initLeaf(s, k, pre, out);
  };
  walk(spec, key, prefix);
  return out;
}
