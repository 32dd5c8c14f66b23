/**
 * Test-only: the one layout of prior draws that `vae sample` (`--png` and `--csv`) and
 * `@vae/infer-web`'s `sample(n, key)` / `sampleRows` share, on the reference interpreter, so both
 * sides are checked against the same oracle and a seed gives the same samples in the CLI and a page.
 */
import { fold, normal, type PRNGKey } from '@vae/random';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import type { VAE } from '../models/vae';
import { GraphNoise } from '../random/noise';

/**
 * z ~ p(z), [n, latent], for sampling key `k`: the z key is `fold(k, 0)`; a standard-normal prior's z
 * is `temperature * normal(fold(k, 0), n * latent)`, any other prior's is its own sampler with its
 * i-th noise input from `fold(fold(k, 0), i)`.
 */
export function priorDrawReference(
  vae: VAE,
  params: Readonly<Record<string, HostTensor>>,
  n: number,
  k: PRNGKey,
  temperature = 1,
): Float32Array {
  const zKey = fold(k, 0);
  if (vae.spec.prior.type === 'standard-normal')
    return normal(zKey, n * vae.spec.latent).map((v) => v * temperature);
  const g = new Graph('prior_draw');
  const p = vae.paramInputs(g);
  const noise = new GraphNoise(g);
  const z = vae.prior(p, g).sample(noise, [n]);
  const feeds = { ...noise.feeds(zKey) };
  for (const name of Object.keys(p)) feeds[name] = params[name]!;
  return interpret(g, [z], feeds)[0]!.data as Float32Array;
}

/** The decoded likelihood means of `z` ([n, latent]) on the interpreter: what a sample grid shows. */
export function decodeMeanReference(
  vae: VAE,
  params: Readonly<Record<string, HostTensor>>,
  z: Float32Array,
): Float32Array {
  const { graph, outputs } = vae.roleGraph('decode-mean');
  const feeds: Record<string, HostTensor> = {
    z: { dtype: 'float32', shape: [z.length / vae.spec.latent, vae.spec.latent], data: z },
  };
  for (const t of graph.inputs) if (t.name !== 'z') feeds[t.name] = params[t.name]!;
  return interpret(graph, [outputs.mean!], feeds)[0]!.data as Float32Array;
}
