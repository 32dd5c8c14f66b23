import { fold, normal, type PRNGKey } from '@vae/random';
import type { Distribution } from '../distributions/distribution';
import { MixtureSameFamily } from '../distributions/mixture-same-family';
import { Normal } from '../distributions/normal';
import type { HostTensor } from '../ir/dtype';
import type { Graph } from '../ir/graph';
import type { Tensor } from '../ir/tensor';
import { ModelSpecError, type PriorSpec } from './spec';

/** The prior's own parameters (mixture weights, means, scales, or pseudo-inputs), by name. */
export function priorParamShapes(
  spec: PriorSpec,
  latent: number,
  dataShape: readonly number[],
): Record<string, number[]> {
  switch (spec.type) {
    case 'standard-normal':
      return {};
    case 'mog':
      if (!(Number.isInteger(spec.components) && spec.components >= 1)) {
        throw new ModelSpecError(`prior.components must be a positive integer, got ${spec.components}`);
      }
      return {
        'prior.logits': [spec.components],
        'prior.loc': [spec.components, latent],
        'prior.logScale': [spec.components, latent],
      };
    case 'vamp':
      if (!(Number.isInteger(spec.pseudoInputs) && spec.pseudoInputs >= 1)) {
        throw new ModelSpecError(`prior.pseudoInputs must be a positive integer, got ${spec.pseudoInputs}`);
      }
      return { 'prior.pseudo': [spec.pseudoInputs, ...dataShape] };
  }
}

/** Initial prior parameters: mixture means spread as N(0, 1), unit scales, equal weights; pseudo-inputs near 0.5. */
export function initPrior(
  spec: PriorSpec,
  latent: number,
  dataShape: readonly number[],
  key: PRNGKey,
): Record<string, HostTensor> {
  const shapes = priorParamShapes(spec, latent, dataShape);
  const out: Record<string, HostTensor> = {};
  Object.entries(shapes).forEach(([name, shape], i) => {
    const n = shape.reduce((p, d) => p * d, 1);
    const data =
      name === 'prior.loc'
        ? normal(fold(key, i), n)
        : name === 'prior.pseudo'
          ? normal(fold(key, i), n, { mean: 0.5, std: 0.05 })
          : new Float32Array(n);
    out[name] = { dtype: 'float32', shape, data };
  });
  return out;
}

/**
 * p(z) over a latent vector (batch [], event [latent]). The VampPrior (Tomczak & Welling 2018)
 * is the uniform mixture of the posteriors of K learned pseudo-inputs, so it needs the encoder.
 */
export function buildPrior(
  spec: PriorSpec,
  latent: number,
  graph: Graph,
  params: Readonly<Record<string, Tensor>>,
  encode: (x: Tensor) => { loc: Tensor; scale: Tensor },
): Distribution {
  switch (spec.type) {
    case 'standard-normal': {
      const zeros = graph.constant({ dtype: 'float32', shape: [latent], data: new Float32Array(latent) });
      return new Normal(zeros, 1).toEvent(1);
    }
    case 'mog':
      return new MixtureSameFamily(
        params['prior.logits']!,
        new Normal(params['prior.loc']!, params['prior.logScale']!.exp()).toEvent(1),
      );
    case 'vamp': {
      const q = encode(params['prior.pseudo']!);
      const logits = graph.constant({
        dtype: 'float32',
        shape: [spec.pseudoInputs],
        data: new Float32Array(spec.pseudoInputs),
      });
      return new MixtureSameFamily(logits, new Normal(q.loc, q.scale).toEvent(1));
    }
  }
}
