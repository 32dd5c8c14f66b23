import type { PRNGKey } from '@vae/random';
import type { Backend, BuiltGraph } from '../backend/backend';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { corrupt, type DenoiseSpec } from '../models/index';
import { GraphNoise, type NoiseDraw } from '../random/noise';
import { stepNoiseFeeds } from './noise-feeds';

/**
 * Corrupts model inputs with core's `corrupt` (the code a denoising VAE's training steps run), on
 * the backend. Example i's noise comes from the key `fold(key, i)` (its draw d from
 * `fold(fold(key, i), d)`, the xoshiro streams of the training steps' noise), so an example is
 * corrupted the same way whatever the chunking, `--limit` or model: runs compared with one seed see
 * the same noisy images.
 */
export class ImageCorrupter {
  readonly #graph: BuiltGraph;
  readonly #draws: NoiseDraw[];

  constructor(
    readonly noise: DenoiseSpec,
    readonly dataShape: readonly number[],
  ) {
    const g = new Graph('corrupt');
    const source = new GraphNoise(g);
    const noisy = corrupt(noise, g.input('x', ['N', ...dataShape]), source);
    this.#graph = { graph: g, outputs: { noisy } };
    // One example's share of each draw (the feeds stack them, example-major).
    this.#draws = source.draws.map((d) => ({ ...d, shape: d.shape.slice(1) }));
  }

  /** x~ of the examples `first`, `first + 1`, ... in `x` ([n, ...dataShape]). */
  async run(backend: Backend, x: HostTensor, key: PRNGKey, first: number): Promise<Float32Array> {
    // One session per corruption and example shape (a backend may serve models of several shapes).
    const id = `corrupt:${JSON.stringify(this.noise)}:${this.dataShape.join('x')}`;
    const compiled = await backend.compile(id, () => this.#graph);
    const feeds = stepNoiseFeeds(this.#draws, key, first, x.shape[0]!);
    const out = await compiled.run({ x, ...feeds });
    return out.noisy!.data as Float32Array;
  }
}
