/** A bundle's graphs for Metropolis-within-Gibbs inpainting, from the training side's role graphs. */
import { fold, normal, type PRNGKey, uniform } from '@vae/random';
import type { Backend, BuiltGraph } from '../backend/backend';
import type { GibbsGraphs } from '../bundle/gibbs-inpaint';
import type { HostTensor } from '../ir/dtype';
import { probabilityRoleGraph, vampComponents } from './probability-roles';
import type { VAE } from './vae';

const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });

/**
 * The graphs `metropolisWithinGibbs` (`@vae/core/bundle`) runs, built from a model and its parameters: the role
 * graphs `vae export` lowers into a bundle (encoder, decoder, posterior-sample, score, data-sample,
 * data-mean), compiled on `backend` (keys `gibbs_*`: one model per backend). Noise of the
 * data-sample graph is fed as `@vae/infer-web` feeds the bundle's: input i from `fold(key, i)`.
 */
export function roleGibbsGraphs(
  backend: Backend,
  vae: VAE,
  params: Readonly<Record<string, HostTensor>>,
  c?: HostTensor,
): GibbsGraphs {
  const s = vae.spec;
  // Parameters are fed, not bound: each role graph uses some of them, and onnxruntime warns about
  // every bound initializer a graph leaves unused.
  const weights = { ...params, ...vampComponents(vae, params) };
  const L = s.latent;
  const dims = (n: number) => [n, ...s.dataShape];
  const compiled = (name: string, build: () => BuiltGraph) => backend.compile(`gibbs_${name}`, build);
  const probability = (role: Parameters<typeof probabilityRoleGraph>[1]) =>
    compiled(role, () => probabilityRoleGraph(vae, role));
  const withC = (feeds: Record<string, HostTensor>) => ({ ...weights, ...feeds, ...(c ? { c } : {}) });
  const pShape = vae.roleGraph('decoder').outputs.params!.shape.slice(1) as number[];
  const sampler = probabilityRoleGraph(vae, 'data-sample');
  const get = (r: Record<string, HostTensor>, name: string) => r[name]!.data as Float32Array;
  return {
    async encode(x, n) {
      const g = await compiled('encoder', () => vae.roleGraph('encoder'));
      const r = await g.run(withC({ x: f32(dims(n), x) }));
      return { loc: get(r, 'loc'), scale: get(r, 'scale') };
    },
    async posteriorSample(loc, scale, eps, k, n) {
      const g = await probability('posterior-sample');
      const r = await g.run({
        ...weights,
        loc: f32([n, L], loc),
        scale: f32([n, L], scale),
        eps: f32([k, n, L], eps),
      });
      return get(r, 'z');
    },
    async decode(z, n) {
      const g = await compiled('decoder', () => vae.roleGraph('decoder'));
      return get(await g.run(withC({ z: f32([n, L], z) })), 'params');
    },
    async logWeights(x, loc, scale, eps, out, k, n) {
      const g = await probability('score');
      const r = await g.run({
        ...weights,
        x: f32(dims(n), x),
        loc: f32([n, L], loc),
        scale: f32([n, L], scale),
        eps: f32([k, n, L], eps),
        params: f32([k, n, ...pShape], out),
      });
      return get(r, 'logw');
    },
    async dataSample(out, n, k: PRNGKey) {
      const g = await probability('data-sample');
      // Noise input i from fold(k, i), in graph-input order: how infer-web feeds the bundle's graph.
      const feeds: Record<string, HostTensor> = { ...weights, params: f32([n, ...pShape], out) };
      let i = 0;
      for (const t of sampler.graph.inputs) {
        const kind = sampler.noise[t.name];
        if (!kind) continue;
        const shape = t.shape.map((v) => (typeof v === 'number' ? v : n));
        const size = shape.reduce((a, v) => a * v, 1);
        feeds[t.name] = f32(shape, (kind === 'normal' ? normal : uniform)(fold(k, i++), size));
      }
      return get(await g.run(feeds), 'sample');
    },
    async dataMean(out, n) {
      const g = await probability('data-mean');
      return get(await g.run({ ...weights, params: f32([n, ...pShape], out) }), 'mean');
    },
  };
}
