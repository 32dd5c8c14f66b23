/**
 * Strings for text bundles: sampled, encoded, decoded, interpolated. Every id comes from the
 * bundle's graphs (encoder; decoder = core's decoding graph: step t emits argmax(logits + temperature
 * * Gumbel(u_t)), greedy at temperature 0); strings <-> ids is `@vae/core/bundle`'s mapping. Keys
 * are laid out as `vae sample` on a text run lays them out: z from `fold(key, 0)`, u from `fold(key, 1)`.
 */
import {
  type BundleManifest,
  type BundleText,
  stringsFromTextIds,
  TextInputError,
  textIdsFromStrings,
} from '@vae/core/bundle';
import { fold, type PRNGKey, uniform } from '@vae/random';
import type { Encoded, KeyLike, TextDecodeOptions, TextSampleOptions } from './api';
import { InferError } from './errors';
import { type Rows, toRows } from './inputs';
import { interpolatePath } from './latent-ops';
import { toKey } from './model-base';

/** What the text methods need of a loaded model (the in-page model gives it). */
export interface TextRunner {
  readonly manifest: BundleManifest;
  readonly latent: number;
  /** n draws of z from the prior (standard normal or the bundle's prior-sample graph). */
  priorZ(n: number, key: PRNGKey, scale?: number): Promise<Float32Array>;
  encode(x: Float32Array): Promise<Encoded>;
  run(
    role: 'decoder',
    feeds: Record<string, Float32Array>,
    dims: { N: number },
  ): Promise<Record<string, Float32Array>>;
}

/**
 * The vocabulary of a text bundle.
 * @throws InferError `input` for a bundle that is not text
 */
export function textOf(m: BundleManifest, method: string): BundleText {
  if (m.data.kind !== 'text' || !m.data.text)
    throw new InferError('input', `${method} needs a text bundle; this one models ${m.data.kind} data`);
  return m.data.text;
}

const checkTemperature = (method: string, t: number) => {
  if (!(Number.isFinite(t) && t >= 0))
    throw new InferError('input', `${method}: temperature must be a number >= 0 (0 is greedy), got ${t}`);
};

/** Ids of z decoded at `temperature` (u from `uKey`; greedy needs none: u is then 0.5 everywhere). */
async function decodeIds(
  model: TextRunner,
  text: BundleText,
  z: Float32Array,
  n: number,
  temperature: number,
  uKey?: PRNGKey,
): Promise<string[]> {
  const size = n * (text.maxLen + 1) * text.tokens.length;
  const u = temperature === 0 || !uKey ? new Float32Array(size).fill(0.5) : uniform(uKey, size);
  const feeds = { z, u, temperature: Float32Array.of(temperature) };
  const { ids } = await model.run('decoder', feeds, { N: n });
  return stringsFromTextIds(text, ids!);
}

/**
 * Strings decoded from z ([n, latent]): greedily (temperature 0, the default), or each character
 * drawn from softmax(logits / temperature) with the uniforms `uniform(key, n * L * V)`.
 */
export async function decodeText(
  model: TextRunner,
  z: Rows,
  opts: TextDecodeOptions = {},
): Promise<string[]> {
  const text = textOf(model.manifest, 'decodeText');
  const t = opts.temperature ?? 0;
  checkTemperature('decodeText', t);
  if (t > 0 && opts.key === undefined)
    throw new InferError('input', 'decodeText: a temperature above 0 draws characters: pass a key');
  const { data, n } = toRows(z, model.latent, 'z');
  return decodeIds(model, text, data, n, t, opts.key === undefined ? undefined : toKey(opts.key));
}

/**
 * n strings from the model: z from the prior with `fold(key, 0)` (as `sample`), each character drawn
 * at `temperature` (default 1; 0 greedy) with `uniform(fold(key, 1), n * L * V)`: `vae sample --seed
 * S --temperature T` on the run prints the same strings for `key` S.
 */
export async function sampleText(
  model: TextRunner,
  n: number,
  key: KeyLike,
  opts: TextSampleOptions = {},
): Promise<string[]> {
  const text = textOf(model.manifest, 'sampleText');
  if (!(Number.isInteger(n) && n >= 1))
    throw new InferError('input', `sampleText: n must be a positive integer, got ${n}`);
  const t = opts.temperature ?? 1;
  checkTemperature('sampleText', t);
  const k = toKey(key);
  const z = await model.priorZ(n, fold(k, 0));
  return decodeIds(model, text, z, n, t, fold(k, 1));
}

/** Ids of strings; a string the model cannot read is an InferError `input`. */
function idsOf(text: BundleText, strings: readonly string[]): Float32Array {
  try {
    return textIdsFromStrings(text, strings);
  } catch (e) {
    if (e instanceof TextInputError) throw new InferError('input', e.message, undefined, { cause: e });
    throw e;
  }
}

/** q(z | text) of each string: posterior means (`loc`) and standard deviations, [n, latent] each. */
export async function encodeText(model: TextRunner, strings: readonly string[]): Promise<Encoded> {
  const text = textOf(model.manifest, 'encodeText');
  return model.encode(idsOf(text, strings));
}

/**
 * `steps` strings on the path between the posterior means of `a` and `b` (slerp by default, as `vae
 * interp --from --to`), each decoded greedily.
 */
export async function interpolateText(
  model: TextRunner,
  a: string,
  b: string,
  steps: number,
  mode: 'lerp' | 'slerp' = 'slerp',
): Promise<string[]> {
  const text = textOf(model.manifest, 'interpolateText');
  const { loc } = await model.encode(idsOf(text, [a, b]));
  const L = model.latent;
  const path = interpolatePath(loc.subarray(0, L), loc.subarray(L, 2 * L), steps, mode);
  return decodeIds(model, text, path, steps, 0);
}
