import { fold, type PRNGKey } from '@vae/random';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import type { Tensor } from '../ir/tensor';
import { apply } from '../layers/apply';
import { init } from '../layers/init';
import { paramShapes as layerParamShapes } from '../layers/shapes';
import type { NoiseSource } from '../random/noise';
import { corrupt } from './corruption';
import { likelihoodFrom, likelihoodParamShapes } from './likelihood';
import type { AESpec } from './spec';
import type { Batch, Params } from './vae';
import { validateModelSpec } from './validate-spec';

/**
 * A deterministic autoencoder, the baseline a VAE is compared with. Its loss is the honest negative
 * log-likelihood of x under the likelihood at the code z = enc(x). With `denoise`, the encoder sees
 * a corrupted x (Gaussian noise, masking or salt-and-pepper, drawn from the noise source; see
 * corruption.ts) and reconstructs the clean x.
 */
export class AE {
  constructor(readonly spec: AESpec) {
    validateModelSpec(spec);
  }

  paramShapes(): Record<string, number[]> {
    const s = this.spec;
    return {
      ...layerParamShapes(s.encoder, 'enc'),
      ...layerParamShapes(s.decoder, 'dec'),
      ...likelihoodParamShapes(s.likelihood, s.dataShape),
    } as Record<string, number[]>;
  }

  init(key: PRNGKey): Record<string, HostTensor> {
    const out: Record<string, HostTensor> = {
      ...init(this.spec.encoder, fold(key, 1), 'enc'),
      ...init(this.spec.decoder, fold(key, 2), 'dec'),
    };
    for (const [name, shape] of Object.entries(
      likelihoodParamShapes(this.spec.likelihood, this.spec.dataShape),
    )) {
      out[name] = { dtype: 'float32', shape, data: new Float32Array(shape.reduce((p, d) => p * d, 1)) };
    }
    return out;
  }

  paramInputs(graph: Graph): Record<string, Tensor> {
    return Object.fromEntries(Object.entries(this.paramShapes()).map(([n, s]) => [n, graph.input(n, s)]));
  }

  /** x with the denoising corruption applied ({@link corrupt}; identity for a plain AE). */
  corrupt(x: Tensor, noise: NoiseSource): Tensor {
    return this.spec.denoise ? corrupt(this.spec.denoise, x, noise) : x;
  }

  encode(params: Params, x: Tensor): Tensor {
    return apply(this.spec.encoder, params, x, {}, 'enc');
  }

  decodeParams(params: Params, z: Tensor): Tensor {
    return apply(this.spec.decoder, params, z, {}, 'dec');
  }

  /** Per-example reconstruction NLL in nats, [N], and its mean (the loss). `noise` drives the corruption. */
  loss(params: Params, batch: Batch, noise: NoiseSource): { nll: Tensor; loss: Tensor } {
    const z = this.encode(params, this.corrupt(batch.x, noise));
    const lik = likelihoodFrom(
      this.spec.likelihood,
      this.spec.dataShape,
      this.decodeParams(params, z),
      params,
      batch.mask,
    );
    const nll = lik.logProb(batch.x).neg();
    return { nll, loss: nll.mean() };
  }

  roleGraph(role: 'encoder' | 'decoder'): { graph: Graph; outputs: Record<string, Tensor> } {
    const g = new Graph(role);
    const params = this.paramInputs(g);
    if (role === 'encoder')
      return { graph: g, outputs: { z: this.encode(params, g.input('x', ['N', ...this.spec.dataShape])) } };
    return {
      graph: g,
      outputs: { params: this.decodeParams(params, g.input('z', ['N', this.spec.latent])) },
    };
  }
}
