import type { Backend, HostTensor } from '@vae/core';
import { sliceRows } from '@vae/core';
import type { LoadedRun } from '../run/run-dir';

/** Rows per encoder call: bounds onnxruntime's buffers on big splits. */
const CHUNK = 4096;

/** Posterior parameters of q(z|x) per example, row-major [n, latent]. */
export interface PosteriorMoments {
  readonly n: number;
  readonly latent: number;
  /** Means. */
  readonly loc: Float32Array;
  /** Standard deviations. */
  readonly scale: Float32Array;
}

/**
 * Runs the model's `encoder` role graph (the graph a bundle's encoder.onnx is lowered from) over
 * model inputs (`x`, and `c` or `mask` when the model takes them), in chunks.
 */
export async function posteriorMoments(
  backend: Backend,
  run: LoadedRun,
  inputs: Readonly<Record<string, HostTensor>>,
): Promise<PosteriorMoments> {
  const x = inputs.x!;
  const n = x.shape[0]!;
  const latent = run.vae.spec.latent;
  const compiled = await backend.compile('encoder', () => run.vae.roleGraph('encoder'));
  const loc = new Float32Array(n * latent);
  const scale = new Float32Array(n * latent);
  // The inputs the encoder takes: x always, c for conditional models, mask for tabular ones.
  const names = ['x', ...(run.vae.spec.condition ? ['c'] : []), ...(inputs.mask ? ['mask'] : [])];
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    const feeds: Record<string, HostTensor> = { ...run.params };
    for (const name of names) feeds[name] = sliceRows(inputs[name]!, from, to);
    const out = await compiled.run(feeds);
    loc.set(out.loc!.data as Float32Array, from * latent);
    scale.set(out.scale!.data as Float32Array, from * latent);
  }
  return { n, latent, loc, scale };
}
