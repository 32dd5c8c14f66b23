import { grad } from '../autodiff/grad';
import { Graph } from '../ir/graph';
import { loop } from '../ir/loop';
import type { Tensor } from '../ir/tensor';
import type { LossOptions, VAE } from '../models/index';
import { clipByGlobalNorm, type Optimizer } from '../optim/index';
import { SlicedNoise } from './sliced-noise';

/** What one training-step graph is built for. */
export interface StepGraphOptions {
  readonly vae: VAE;
  readonly optimizer: Optimizer;
  /** Examples per step (static: every step of a run has a full batch). */
  readonly batchSize: number;
  /**
   * Steps the ONNX Loop runs per call. Omitted, the step count is a symbolic dimension (`steps`)
   * read from the inputs at run time, so one session serves runs of any length (a full run and an
   * epoch's shorter last one share the session and its warmed-up memory).
   */
  readonly steps?: number;
  /** Names of the optimizer's state tensors, with their shapes (from `optimizer.initState`). */
  readonly stateShapes: Readonly<Record<string, readonly number[]>>;
  /** ELBO settings: particles, free bits, KL estimator (beta comes per step from the `beta` input). */
  readonly loss?: Omit<LossOptions, 'noise' | 'beta'>;
  /** Clip gradients to this global L2 norm before the update (off when absent). */
  readonly clip?: number;
  /** Train on the IWAE bound with this many samples instead of the ELBO (when > 1). */
  readonly iwae?: number;
  /**
   * The most steps one call will run when `steps` is symbolic. The optimizer's cheaper loop form
   * ({@link Optimizer.inLoop}) is used when runs fit within its step limit; unknown, it is not.
   */
  readonly maxSteps?: number;
}

/** The built graph: inputs are params, `optim.<state>`, `x` [K, B, ...], `beta` [K] and noise; see outputs. */
export interface StepGraph {
  readonly graph: Graph;
  /** `next.<param>` and `next.optim.<state>` final values, and per-step `loss`, `recon`, `kl` [K]. */
  readonly outputs: Record<string, Tensor>;
  readonly noise: SlicedNoise;
}

/** Prefix of optimizer-state inputs. */
export const STATE_PREFIX = 'optim.';
/** Prefix of the final values of carried inputs (ONNX names must differ from the inputs'). */
export const NEXT_PREFIX = 'next.';

/**
 * K optimisation steps as one graph: an ONNX Loop whose body slices step i's batch, beta and noise
 * from [K, ...] inputs, builds the loss, its gradients and the optimizer update, and carries
 * parameters and optimizer state to the next step. Only the final state and per-step losses leave.
 */
export function buildStepGraph(o: StepGraphOptions): StepGraph {
  const { vae, optimizer, batchSize: b } = o;
  const k = o.steps ?? 'steps';
  const spec = vae.spec;
  const g = new Graph(`train_k${k}`);
  const paramShapes = vae.paramShapes();
  const paramNames = Object.keys(paramShapes);
  const stateNames = Object.keys(o.stateShapes);
  const params0 = paramNames.map((n) => g.input(n, paramShapes[n]!));
  const state0 = stateNames.map((n) => g.input(STATE_PREFIX + n, [...o.stateShapes[n]!]));
  const xs = g.input('x', [k, b, ...spec.dataShape]);
  const cs = spec.condition ? g.input('c', [k, b, spec.condition.size]) : undefined;
  const masks =
    spec.likelihood.type === 'tabular' ? g.input('mask', [k, b, spec.likelihood.columns.length]) : undefined;
  const betas = g.input('beta', [k]);
  // A symbolic step count comes from beta's length at run time.
  const trips = typeof k === 'number' ? k : betas.shapeOf().gather(g.scalar(0, 'int64'));
  // The optimizer's loop form (e.g. Adam in 9 passes per parameter instead of 10) carries its state
  // rescaled through the loop and back to the plain state after it.
  const longest = typeof k === 'number' ? k : o.maxSteps;
  const form =
    optimizer.inLoop && longest !== undefined && longest <= optimizer.inLoop.maxSteps
      ? optimizer.inLoop
      : null;
  let noise: SlicedNoise | undefined;
  const [finals, scans] = loop(g, trips, [...params0, ...state0], (iter, carried) => {
    noise = new SlicedNoise(g, k, iter);
    const ps = carried.slice(0, paramNames.length);
    const params = Object.fromEntries(paramNames.map((n, i) => [n, ps[i]!]));
    const state = Object.fromEntries(stateNames.map((n, i) => [n, carried[paramNames.length + i]!]));
    // A denoising VAE's encoder sees x corrupted by this step's draw (noise_0); the ELBO scores x.
    const batch = vae.corrupt(
      {
        x: xs.gather(iter, 0),
        ...(cs ? { c: cs.gather(iter, 0) } : {}),
        ...(masks ? { mask: masks.gather(iter, 0) } : {}),
      },
      noise,
    );
    const terms = vae.loss(params, batch, { ...o.loss, noise, beta: betas.gather(iter, 0) });
    // IWAE training maximises the k-sample bound; the ELBO terms are still reported per step.
    const objective = o.iwae && o.iwae > 1 ? vae.iwae(params, batch, noise, o.iwae).mean().neg() : terms.loss;
    // The step's index within the run, for the loop form's loss scale and update.
    const index = iter.cast('float32');
    const scale = form?.lossScale(index);
    const raw = grad(scale ? objective.mul(scale) : objective, ps);
    let grads: Record<string, Tensor> = Object.fromEntries(paramNames.map((n, i) => [n, raw[i]!]));
    if (o.clip !== undefined) grads = clipByGlobalNorm(grads, o.clip, scale).grads;
    const args = { params, grads, state };
    const next = form ? form.update(args, index) : optimizer.update(args);
    return {
      carried: [...paramNames.map((n) => next.params[n]!), ...stateNames.map((n) => next.state[n]!)],
      scans: [objective, terms.recon.mean(), terms.kl.mean()],
    };
  });
  const outputs: Record<string, Tensor> = {};
  paramNames.forEach((n, i) => {
    outputs[NEXT_PREFIX + n] = finals[i]!;
  });
  const stateFinals = Object.fromEntries(stateNames.map((n, i) => [n, finals[paramNames.length + i]!]));
  const stepsRun = typeof trips === 'number' ? g.scalar(trips) : trips.cast('float32');
  const plainState = form ? form.exit(stateFinals, stepsRun) : stateFinals;
  for (const name of stateNames) outputs[NEXT_PREFIX + STATE_PREFIX + name] = plainState[name]!;
  Object.assign(outputs, { loss: scans[0]!, recon: scans[1]!, kl: scans[2]! });
  return { graph: g, outputs, noise: noise! };
}
