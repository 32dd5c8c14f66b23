/**
 * Free-running decoding of a text VAE: from z, each step's input is the previous step's output,
 * unrolled over the sequence length. One graph serves greedy decoding and sampling: step t picks
 * argmax(logits_t + temperature * Gumbel(u_t)), which is the argmax at temperature 0 and a draw
 * from softmax(logits_t / temperature) otherwise (Gumbel-max), with u a uniform noise input, so a
 * key fixes every string. An interpolation is this graph on a path of z's.
 */
import type { BuiltGraph } from '../backend/backend';
import { argmaxLast, gumbelFromUniform } from '../distributions/math';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import type { Tensor } from '../ir/tensor';
import { gru } from '../layers/gru';
import { splitAxis } from '../layers/recurrent';
import type { VAESpec } from './spec';
import { textGruParams, textH0, textLogits, textStepInputs } from './text-decoder';
import { TEXT_IDS } from './text-spec';
import type { Params, VAE } from './vae';

/**
 * Ids [N, L] (float32, as data) decoded from z [N, latent] with uniform noise u [N, L, V] and
 * `temperature` (broadcast to [N, 1]; 0 = greedy). After the first EOS every position is PAD, as
 * in the data.
 */
export function decodeTextIds(
  spec: VAESpec,
  params: Params,
  z: Tensor,
  u: Tensor,
  temperature: Tensor,
): Tensor {
  const len = spec.dataShape[0]!;
  const v = u.shape[2] as number;
  const p = textGruParams(params);
  let h = textH0(spec, params, z);
  let token = z.slice([0], [1], [1]).mul(0).add(TEXT_IDS.bos); // [N, 1]
  let done: Tensor | null = null; // 1 once an EOS was emitted
  const ids: Tensor[] = [];
  splitAxis(u, new Array<number>(len).fill(1), 1).forEach((ut) => {
    h = gru(textStepInputs(spec, params, token, z), p, { h0: h, output: 'last' });
    const logits = textLogits(spec, params, h);
    const id = argmaxLast(logits.add(gumbelFromUniform(ut.reshape([0, v])).mul(temperature))).unsqueeze([1]);
    ids.push(done ? id.mul(done.rsub(1)) : id);
    const eos = id.equal(TEXT_IDS.eos).cast('float32');
    done = done ? done.maximum(eos) : eos;
    token = id;
  });
  // abs: argmax's index 0 can come out as -0 (a negated max), which runtimes keep or not.
  return (ids.length === 1 ? ids[0]! : z.graph.apply1('Concat', ids, { axis: 1 })).abs();
}

/**
 * The decoding graph of a text VAE (its `decoder` role, what a text bundle would ship as its
 * decoder): inputs z [N, latent], u [N, L, V] (uniform [0, 1)), temperature [1], then the
 * parameters; output `ids` [N, L] float32. With `bind`, the parameters are bound for export.
 */
export function textDecodeGraph(
  vae: VAE,
  options: { bind?: Readonly<Record<string, HostTensor>> } = {},
): BuiltGraph {
  const s = vae.spec;
  const v = (s.likelihood as { vocab: number }).vocab;
  const g = new Graph('decoder');
  const z = g.input('z', ['N', s.latent]);
  const u = g.input('u', ['N', s.dataShape[0]!, v]);
  const temperature = g.input('temperature', [1]);
  const params = vae.paramInputs(g);
  const ids = decodeTextIds(s, params, z, u, temperature);
  return { graph: g, outputs: { ids }, ...(options.bind ? { bind: options.bind } : {}) };
}
