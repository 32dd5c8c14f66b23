import type { Graph } from '../ir/graph';
import type { Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import type { NoiseDraw, NoiseSource } from '../random/noise';

/**
 * Noise for the body of a K-step training Loop. Each request adds one input of shape [K, ...shape]
 * to the outer (top-level) graph and reads slice `iter` of it, so every step gets its own draw.
 * (A plain GraphNoise input read inside a Loop body would repeat one draw on every step.)
 */
export class SlicedNoise implements NoiseSource {
  readonly draws: NoiseDraw[] = [];

  constructor(
    readonly outer: Graph,
    readonly steps: number | string,
    readonly iter: Tensor,
    readonly prefix = 'noise',
  ) {}

  normal(shape: Shape): Tensor {
    return this.#add('normal', shape);
  }

  uniform(shape: Shape): Tensor {
    return this.#add('uniform', shape);
  }

  #add(kind: NoiseDraw['kind'], shape: Shape): Tensor {
    const name = `${this.prefix}_${this.draws.length}_${kind}`;
    this.draws.push({ name, kind, shape: [...shape] });
    return this.outer.input(name, [this.steps, ...shape]).gather(this.iter, 0);
  }
}
