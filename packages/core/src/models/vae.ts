import { fold, type PRNGKey } from '@vae/random';
import type { BuiltGraph } from '../backend/backend';
import type { Distribution } from '../distributions/distribution';
import { Normal } from '../distributions/normal';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import type { Tensor } from '../ir/tensor';
import { apply } from '../layers/apply';
import { init } from '../layers/init';
import { paramShapes as layerParamShapes } from '../layers/shapes';
import type { LayerSpec } from '../layers/spec';
import { type ElboInput, type ElboTerms, elbo } from '../objectives/elbo';
import { iwaeBound } from '../objectives/iwae';
import type { NoiseSource } from '../random/noise';
import { conditionFeatures, conditionParamShapes, latentWithCondition, withCondition } from './conditioning';
import { corrupt } from './corruption';
import { likelihoodFrom, likelihoodParamShapes } from './likelihood';
import { buildPrior, initPrior, priorParamShapes } from './prior';
import { ModelSpecError, type VAESpec } from './spec';
import { tabularEncoderInput } from './tabular-input';
import { validateVAE } from './validate-spec';

export type Params = Readonly<Record<string, Tensor>>;

/** Inputs of one batch: data, and the condition (CVAE) or missing-value mask (tabular) when used. */
export interface Batch {
  x: Tensor;
  c?: Tensor;
  mask?: Tensor;
  /**
   * A denoising VAE's training input ({@link VAE.corrupt}): when set, the posterior is computed
   * from it instead of x, and the likelihood still scores the clean x.
   */
  corrupted?: Tensor;
}

export type LossOptions = Omit<ElboInput, 'posterior' | 'prior' | 'likelihood' | 'x'>;

/** The graphs a VAE gives by role (see {@link VAE.roleGraph}). */
export type VAERole = 'encoder' | 'encode-mean' | 'decoder' | 'decode-mean';

/** True when a layer acts on each row's last axis alone, so extra leading (sample) axes pass through. */
function rowWise(spec: LayerSpec): boolean {
  if (spec.type === 'sequential') return spec.layers.every(rowWise);
  if (spec.type === 'residual') return rowWise(spec.body);
  return spec.type === 'dense' || spec.type === 'activation' || spec.type === 'dropout';
}

/**
 * A variational autoencoder from a spec: q(z|x[,c]) is a diagonal Gaussian from the encoder's
 * [mean, log-variance]; p(x|z[,c]) is the spec's likelihood over the decoder output; p(z) is the
 * spec's prior. Methods build graph code by role: `encode`, `decode`, `prior`, `loss`, `iwae`.
 */
export class VAE {
  constructor(readonly spec: VAESpec) {
    this.validate(spec);
  }

  /** Checks the spec fits together (a subclass with its own decoder, e.g. `TextVAE`, checks its way). */
  protected validate(spec: VAESpec): void {
    validateVAE(spec);
  }

  /** Every parameter's name and shape: encoder `enc.*`, decoder `dec.*`, `prior.*`, `lik.*`, `cond.*`. */
  paramShapes(): Record<string, number[]> {
    const s = this.spec;
    return {
      ...layerParamShapes(s.encoder, 'enc'),
      ...layerParamShapes(s.decoder, 'dec'),
      ...priorParamShapes(s.prior, s.latent, s.dataShape),
      ...likelihoodParamShapes(s.likelihood, s.dataShape),
      ...conditionParamShapes(s.condition),
    } as Record<string, number[]>;
  }

  /** Fresh parameters from a key (layers by their init scheme; likelihood scales start at 1). */
  init(key: PRNGKey): Record<string, HostTensor> {
    const s = this.spec;
    const out: Record<string, HostTensor> = {
      ...init(s.encoder, fold(key, 1), 'enc'),
      ...init(s.decoder, fold(key, 2), 'dec'),
      ...initPrior(s.prior, s.latent, s.dataShape, fold(key, 3)),
    };
    const extra = {
      ...likelihoodParamShapes(s.likelihood, s.dataShape),
      ...conditionParamShapes(s.condition),
    };
    for (const [name, shape] of Object.entries(extra)) {
      const n = shape.reduce((p, d) => p * d, 1);
      out[name] = { dtype: 'float32', shape, data: new Float32Array(n) };
    }
    if (s.condition?.embed)
      Object.assign(
        out,
        init({ type: 'dense', in: s.condition.size, out: s.condition.embed }, fold(key, 4), 'cond.embed'),
      );
    return out;
  }

  /** Graph inputs for every parameter, named as in `paramShapes()`. */
  paramInputs(graph: Graph): Record<string, Tensor> {
    return Object.fromEntries(
      Object.entries(this.paramShapes()).map(([name, shape]) => [name, graph.input(name, shape)]),
    );
  }

  /**
   * Posterior mean, scale and log-scale for data x ([N, ...dataShape]). `logScale` is the encoder's
   * log-variance halved, exact where `scale` = exp(logScale) underflows to 0 in float32 (far-out
   * inputs): take log-densities from it, never from log(scale). (Normal's `logScale` finds it too.)
   */
  encodeMoments(params: Params, batch: Batch): { loc: Tensor; scale: Tensor; logScale: Tensor } {
    const s = this.spec;
    let input = batch.x;
    if (s.likelihood.type === 'tabular')
      input = tabularEncoderInput(s.likelihood.columns, batch.x, this.need(batch, 'mask'));
    if (s.condition)
      input = withCondition(
        input,
        conditionFeatures(s.condition, params, this.need(batch, 'c')),
        s.dataShape,
      );
    const h = apply(s.encoder, params, input, {}, 'enc');
    const d = s.latent;
    const loc = h.slice([0], [d], [h.rank - 1]);
    const logVar = h.slice([d], [2 * d], [h.rank - 1]);
    const logScale = logVar.mul(0.5);
    return { loc, scale: logScale.exp(), logScale };
  }

  /** q(z|x[,c]): batch [N], event [latent] (from `batch.corrupted` when set: q(z|x~[,c])). */
  encode(params: Params, batch: Batch): Distribution {
    const seen = batch.corrupted ? { ...batch, x: batch.corrupted } : batch;
    const { loc, scale } = this.encodeMoments(params, seen);
    return new Normal(loc, scale).toEvent(1);
  }

  /** The decoder output (the likelihood's parameters) for z of shape [N, D] or [k, N, D]. */
  decodeParams(params: Params, z: Tensor, c?: Tensor): Tensor {
    const s = this.spec;
    // `particles` > 1: zz holds k particles folded into the batch ([k * N, D]), so the condition's
    // N rows are repeated k times to line up with them.
    const run = (zz: Tensor, particles = 1) => {
      if (!s.condition) return apply(s.decoder, params, zz, {}, 'dec');
      let cf = conditionFeatures(s.condition, params, this.need({ x: zz, c }, 'c'));
      if (particles > 1) {
        const [n, w] = cf.shape as [number, number];
        cf = cf.expand([particles, 1, 1]).reshape([particles * n, w]);
      }
      return apply(s.decoder, params, latentWithCondition(zz, cf), {}, 'dec');
    };
    if (z.rank === 2) return run(z);
    if (rowWise(s.decoder)) {
      // Sample axis folded into the batch: plain 2-D matmuls whose weight gradients need no
      // reduction over a broadcast axis (with one particle, that reduction is a full-size copy).
      const [k, n, d] = z.shape;
      if (k === 1) return run(z.squeeze([0])).unsqueeze([0]);
      if (typeof k === 'number' && typeof n === 'number') {
        const out = run(z.reshape([k * n, d as number]), k);
        return out.reshape([k, n, ...(out.shape.slice(1) as number[])]);
      }
      return run(z);
    }
    // Conv decoders take 4-D batches: decode each particle and stack them.
    const k = z.shape[0] as number;
    const parts = Array.from({ length: k }, (_, i) =>
      run(z.slice([i], [i + 1], [0]).squeeze([0])).unsqueeze([0]),
    );
    return k === 1 ? parts[0]! : z.graph.apply1('Concat', parts, { axis: 0 });
  }

  /** p(x|z[,c]) as an event-shaped distribution over one example. */
  decode(params: Params, z: Tensor, batch: Omit<Batch, 'x'> = {}): Distribution {
    return likelihoodFrom(
      this.spec.likelihood,
      this.spec.dataShape,
      this.decodeParams(params, z, batch.c),
      params,
      batch.mask,
    );
  }

  /** p(z): batch [], event [latent]. */
  prior(params: Params, graph: Graph): Distribution {
    return buildPrior(this.spec.prior, this.spec.latent, graph, params, (u) =>
      this.encodeMoments(params, { x: u }),
    );
  }

  /**
   * A training step's batch for a denoising VAE (Im et al. 2017): `corrupted` set to x corrupted by
   * `spec.denoise` (one draw from `noise`), so `loss` and `iwae` encode x~ and score the clean x.
   * Without `denoise`, the batch as is and no noise drawn. Only training steps call this: the role,
   * evaluation and score graphs never corrupt.
   */
  corrupt(batch: Batch, noise: NoiseSource): Batch {
    const d = this.spec.denoise;
    return d ? { ...batch, corrupted: corrupt(d, batch.x, noise) } : batch;
  }

  /** The ELBO terms per example and the scalar training loss (see `elbo`). */
  loss(params: Params, batch: Batch, opts: LossOptions): ElboTerms {
    return elbo({
      ...opts,
      posterior: this.encode(params, batch),
      prior: this.prior(params, batch.x.graph),
      likelihood: (z) => this.decode(params, z, batch),
      x: batch.x,
    });
  }

  /** The IWAE bound per example with `samples` importance samples (a log p(x) estimate). */
  iwae(params: Params, batch: Batch, noise: NoiseSource, samples: number): Tensor {
    return iwaeBound({
      posterior: this.encode(params, batch),
      prior: this.prior(params, batch.x.graph),
      likelihood: (z) => this.decode(params, z, batch),
      x: batch.x,
      noise,
      samples,
    });
  }

  /**
   * The graph of one role, built from this model alone, so training, export, rendering and the
   * browser all run the same forward code:
   * - `encoder`: x [N, ...dataShape] (+ c, + mask) -> the posterior's `loc` and `scale` [N, latent]
   * - `encode-mean`: the same inputs -> `loc` alone
   * - `decoder`: z [N, latent] (+ c) -> `params`, the likelihood's parameters (what a bundle ships)
   * - `decode-mean`: the same inputs -> `mean` of p(x|z[,c]) [N, ...dataShape] (e.g. probabilities)
   *
   * Parameters are graph inputs named as in `paramShapes()`, after the data inputs (the order ONNX
   * files show). With `bind`, the result also carries them bound (e.g. the trained weights) for
   * `toOnnx` or a backend's `compile`, which bake them in.
   */
  roleGraph(role: VAERole, options: { bind?: Readonly<Record<string, HostTensor>> } = {}): BuiltGraph {
    const s = this.spec;
    const encoding = role === 'encoder' || role === 'encode-mean';
    const g = new Graph(role.replace('-', '_'));
    const data = encoding ? g.input('x', ['N', ...s.dataShape]) : g.input('z', ['N', s.latent]);
    const c = s.condition ? g.input('c', ['N', s.condition.size]) : undefined;
    const mask =
      encoding && s.likelihood.type === 'tabular'
        ? g.input('mask', ['N', s.likelihood.columns.length])
        : undefined;
    const params = this.paramInputs(g);
    const outputs = (): Record<string, Tensor> => {
      switch (role) {
        case 'encoder': {
          const { loc, scale } = this.encodeMoments(params, { x: data, c, mask });
          return { loc, scale };
        }
        case 'encode-mean':
          return { loc: this.encodeMoments(params, { x: data, c, mask }).loc };
        case 'decoder':
          return { params: this.decodeParams(params, data, c) };
        case 'decode-mean':
          return { mean: this.decode(params, data, { c }).mean };
      }
    };
    return { graph: g, outputs: outputs(), ...(options.bind ? { bind: options.bind } : {}) };
  }

  private need(batch: Partial<Batch>, what: 'c' | 'mask'): Tensor {
    const t = batch[what];
    if (!t) {
      throw new ModelSpecError(
        what === 'c'
          ? 'this model is conditional: pass the condition c'
          : 'tabular models need the missing-value mask',
      );
    }
    return t;
  }
}
