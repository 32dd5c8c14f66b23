// The peer: the MLP VAE of `vae train`'s default recipe written with @tensorflow/tfjs-core ops on
// the wasm backend, trained with tfjs's own Adam through optimizer.minimize (tf.variableGrads).
//
// Same model as core's mlpVAE({ latent: 20, hidden: [400] }) with the Bernoulli likelihood:
//   encoder 784 -> 400 (relu) -> 40 = [loc | log-variance];  z = loc + exp(logVar / 2) * eps
//   decoder 20 -> 400 (relu) -> 784 Bernoulli logits
//   loss = mean over the batch of  sum_pixels [softplus(l) - x l]  +  KL(N(loc, exp(logVar)) || N(0, I))
// Weights start as PyTorch's Linear default (U(+-1/sqrt(fan_in)) for weight and bias), as core's.
// Dense layers use tf.fused.matMul (bias + relu in one kernel), what tf.layers' Dense runs.

import * as tf from '@tensorflow/tfjs-core';

// tfjs-core registers no gradients by itself (the @tensorflow/tfjs union package imports these).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { RECIPE } from './common';

// The backend's start is shared with the other browser bench (bench/lib/tfjs-wasm.ts).
export { initTfjs } from '../../../lib/tfjs-wasm';

interface Dense {
  w: tf.Variable;
  b: tf.Variable;
}

export class TfjsVae {
  readonly #layers: Dense[];
  readonly #opt: tf.AdamOptimizer;
  #seed: number;
  /** Optimizer steps taken. */
  steps = 0;
  /** The loss of every step taken. */
  readonly losses: number[] = [];

  /**
   * @param fused - dense layers as tf.fused.matMul (default) or as matMul, add and relu: a lever,
   *   in case the fused op's gradient is the slower path on the wasm backend.
   */
  constructor(
    seed = 1,
    readonly fused = true,
  ) {
    this.#seed = seed * 1000;
    const { pixels: D, hidden: H, latent: L } = RECIPE;
    this.#layers = [this.#init(D, H), this.#init(H, 2 * L), this.#init(L, H), this.#init(H, D)];
    // torch.optim.Adam's defaults (tfjs's own epsilon default is 1e-7).
    this.#opt = tf.train.adam(RECIPE.lr, 0.9, 0.999, 1e-8);
  }

  #init(fanIn: number, fanOut: number): Dense {
    const a = 1 / Math.sqrt(fanIn);
    return {
      w: tf.variable(tf.randomUniform([fanIn, fanOut], -a, a, 'float32', this.#seed++)),
      b: tf.variable(tf.randomUniform([fanOut], -a, a, 'float32', this.#seed++)),
    };
  }

  #dense(a: tf.Tensor2D, l: Dense, relu: boolean): tf.Tensor2D {
    const b = l.w as tf.Tensor2D;
    if (this.fused)
      return tf.fused.matMul({
        a,
        b,
        bias: l.b,
        ...(relu ? { activation: 'relu' as const } : {}),
      }) as tf.Tensor2D;
    const y = tf.add(tf.matMul(a, b), l.b) as tf.Tensor2D;
    return relu ? tf.relu(y) : y;
  }

  /** The negative ELBO, nats per example, of a batch x with noise eps (one z per example). */
  #loss(x: tf.Tensor2D, eps: tf.Tensor2D): tf.Scalar {
    const [e1, e2, d1, d2] = this.#layers as [Dense, Dense, Dense, Dense];
    const h = this.#dense(x, e1, true);
    const q = this.#dense(h, e2, false);
    const [loc, logVar] = tf.split(q, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    const z = tf.add(loc, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
    const g = this.#dense(z, d1, true);
    const logits = this.#dense(g, d2, false);
    // -log Bernoulli(x; sigmoid(l)) = softplus(l) - x l
    const recon = tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)), 1);
    const kl = tf.mul(tf.sum(tf.sub(tf.sub(tf.add(tf.square(loc), tf.exp(logVar)), logVar), 1), 1), 0.5);
    return tf.mean(tf.add(recon, kl)) as tf.Scalar;
  }

  /** One Adam step on a [batch, 784] 0/1 batch; returns its loss (read back: the step has finished). */
  step(xData: Float32Array, batch: number = RECIPE.batch): number {
    const loss = tf.tidy(() => {
      const x = tf.tensor2d(xData, [batch, RECIPE.pixels]);
      const eps = tf.randomNormal([batch, RECIPE.latent], 0, 1, 'float32', this.#seed++) as tf.Tensor2D;
      return this.#opt.minimize(() => this.#loss(x, eps), true)!;
    });
    const v = loss.dataSync()[0]!;
    loss.dispose();
    this.steps++;
    this.losses.push(v);
    return v;
  }

  dispose(): void {
    for (const l of this.#layers) tf.dispose([l.w, l.b]);
    this.#opt.dispose();
  }
}

/** What tfjs says about its memory: tensor bytes and the wasm heap. */
export function tfjsMemory(): Record<string, number> {
  const m = tf.memory();
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return {
    tensorBytes: m.numBytes,
    tensors: m.numTensors,
    wasmHeapBytes: backend.wasm?.HEAPU8?.length ?? Number.NaN,
  };
}
