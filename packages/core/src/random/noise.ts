import { fold, normal, type PRNGKey, uniform } from '@vae/random';
import type { HostTensor } from '../ir/dtype';
import { IRError } from '../ir/errors';
import type { Graph } from '../ir/graph';
import { formatShape, type Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';

/**
 * Where sampling code gets its randomness. Noise is a graph input, never a random op inside the
 * graph: exported graphs stay deterministic and runs reproduce bit for bit (DESIGN.md).
 */
export interface NoiseSource {
  /** Standard-normal noise of `shape` (symbolic dims allowed). */
  normal(shape: Shape): Tensor;
  /** Uniform noise on [0, 1) of `shape`. */
  uniform(shape: Shape): Tensor;
}

export interface NoiseDraw {
  readonly name: string;
  readonly kind: 'normal' | 'uniform';
  readonly shape: Shape;
}

/**
 * A NoiseSource that adds one graph input per request and remembers it, so a runner can fill
 * every noise input from a key: draw i comes from `fold(key, i)`, the same on every backend.
 */
export class GraphNoise implements NoiseSource {
  readonly draws: NoiseDraw[] = [];
  constructor(
    readonly graph: Graph,
    readonly prefix = 'noise',
  ) {}

  normal(shape: Shape): Tensor {
    return this.add('normal', shape);
  }

  uniform(shape: Shape): Tensor {
    return this.add('uniform', shape);
  }

  private add(kind: NoiseDraw['kind'], shape: Shape): Tensor {
    const name = `${this.prefix}_${this.draws.length}_${kind}`;
    this.draws.push({ name, kind, shape: [...shape] });
    return this.graph.input(name, shape);
  }

  /** Feeds for every noise input, with symbolic dims resolved by `dims` (e.g. `{ N: 128 }`). */
  feeds(key: PRNGKey, dims: Readonly<Record<string, number>> = {}): Record<string, HostTensor> {
    const out: Record<string, HostTensor> = {};
    this.draws.forEach((d, i) => {
      const shape = drawShape(d, dims);
      const n = shape.reduce((p, s) => p * s, 1);
      const k = fold(key, i);
      out[d.name] = { dtype: 'float32', shape, data: d.kind === 'normal' ? normal(k, n) : uniform(k, n) };
    });
    return out;
  }
}

/**
 * A draw's shape with its symbolic dims resolved by `dims` (e.g. `{ N: 128 }`).
 * @throws IRError naming the dim when `dims` lacks it
 */
export function drawShape(d: NoiseDraw, dims: Readonly<Record<string, number>>): number[] {
  return d.shape.map((s) => {
    if (typeof s === 'number') return s;
    const v = dims[s];
    if (v === undefined)
      throw new IRError(`noise ${d.name}${formatShape(d.shape)}: give a size for dim ${s}`);
    return v;
  });
}
