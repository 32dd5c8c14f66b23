import { type Backend, fold, key, normal, uniform } from '@vae/core';
import { type CharVocab, decodeChars, encodeChars } from '@vae/datasets';
import { OrtBackend } from '../backend/ort-backend';
import { checkInt, UsageError } from '../render/errors';
import { encodeMeans, f32Tensor, runFor } from '../render/model-images';
import { type LoadedRun, loadRun } from '../run/run-dir';
import { slerp } from '../views/interp';
import { textStateOf } from './text-data';

// `vae sample` and `vae interp` on text runs: strings decoded by the run's free-running decoder
// (core's `textDecodeGraph`: the `decoder` role), greedily or by Gumbel-max sampling, with every
// draw fed from a key.

/** The run's vocabulary, or a one-line error when it is not a text run. */
function vocabOf(run: LoadedRun, command: string): CharVocab {
  if (!run.config.recipe.text)
    throw new UsageError(`${command} on ${run.dir}: --from/--to are for text runs (image runs take --a/--b)`);
  return { tokens: textStateOf(run.config).tokens };
}

/**
 * Decodes z [rows, latent] to strings: step t takes argmax(logits + temperature * Gumbel(u)),
 * u ~ U[0, 1) from `uKey` (temperature 0: greedy, u unused).
 */
async function decodeStrings(
  backend: Backend,
  run: LoadedRun,
  vocab: CharVocab,
  z: Float32Array,
  temperature: number,
  uKey: ReturnType<typeof key>,
): Promise<string[]> {
  const spec = run.vae.spec;
  const [rows, len, v] = [z.length / spec.latent, spec.dataShape[0]!, vocab.tokens.length];
  const compiled = await backend.compile('text-decoder', () => run.vae.roleGraph('decoder'));
  // Greedy decoding multiplies the Gumbel noise by 0: any finite u will do.
  const u = temperature === 0 ? new Float32Array(rows * len * v).fill(0.5) : uniform(uKey, rows * len * v);
  const ids = await runFor(
    compiled,
    run,
    {
      z: f32Tensor([rows, spec.latent], z),
      u: f32Tensor([rows, len, v], u),
      temperature: f32Tensor([1], Float32Array.of(temperature)),
    },
    'ids',
  );
  return Array.from({ length: rows }, (_, i) => decodeChars(vocab, ids.subarray(i * len, (i + 1) * len)));
}

/** `vae sample` on a text run. */
export interface TextSampleOptions {
  readonly run: string;
  readonly n: number;
  readonly seed: number;
  /** Softmax temperature of each character's draw; 0 decodes greedily. Default 1. */
  readonly temperature?: number;
  readonly threads?: number;
}

/**
 * `vae sample` on a text run: z ~ N(0, I) laid out as `vae sample --png` lays it out
 * (`normal(fold(key(seed), 0), n * latent)`), each character drawn at `temperature` with uniforms
 * `uniform(fold(key(seed), 1), n * L * V)`: the same seed gives the same strings.
 * @throws UsageError for bad options or a run that is not text
 */
export async function textSampleCommand(o: TextSampleOptions) {
  checkInt('n', o.n);
  checkInt('seed', o.seed, 0);
  const temperature = o.temperature ?? 1;
  if (!(Number.isFinite(temperature) && temperature >= 0))
    throw new UsageError(`--temperature must be a number >= 0 (0 decodes greedily), got ${o.temperature}`);
  const run = loadRun(o.run);
  const vocab = vocabOf(run, 'vae sample');
  const k = key(o.seed);
  const z = normal(fold(k, 0), o.n * run.vae.spec.latent);
  const backend = new OrtBackend({ threads: o.threads });
  try {
    const strings = await decodeStrings(backend, run, vocab, z, temperature, fold(k, 1));
    return { strings, n: o.n, seed: o.seed, temperature };
  } finally {
    await backend.dispose();
  }
}

/** `vae interp --from --to` on a text run. */
export interface TextInterpOptions {
  readonly run: string;
  readonly from: string;
  readonly to: string;
  /** Points on the path, both endpoints included (>= 2). */
  readonly steps: number;
  readonly threads?: number;
}

/** A typed word as the run's ids [1, L], or a one-line error naming the flag and what is wrong. */
function wordIds(run: LoadedRun, vocab: CharVocab, flag: string, word: string): Float32Array {
  const t = run.config.recipe.text!;
  const text = t.lowercase ? word.toLowerCase() : word;
  const chars = Array.from(text);
  if (chars.length === 0) throw new UsageError(`--${flag} is empty: give a word`);
  if (chars.length > t.maxLen)
    throw new UsageError(
      `--${flag} "${word}" has ${chars.length} characters; ${run.dir} models at most ${t.maxLen} (its --max-len)`,
    );
  const known = new Set(vocab.tokens.slice(4));
  const unknown = [...new Set(chars.filter((c) => !known.has(c)))];
  if (unknown.length)
    throw new UsageError(
      `--${flag} "${word}": ${unknown.map((c) => JSON.stringify(c)).join(', ')} not in ${run.dir}'s vocabulary (${known.size} characters of its training lines)`,
    );
  return Float32Array.from(encodeChars(vocab, text, t.maxLen + 1));
}

/**
 * `vae interp` on a text run: both words encoded to their posterior means, the great-circle path
 * between them (slerp, as image runs) in `steps` points, each decoded greedily.
 * @throws UsageError for a word the model cannot read, a language model (no latent space), bad steps
 */
export async function textInterpCommand(o: TextInterpOptions) {
  checkInt('steps', o.steps, 2);
  const run = loadRun(o.run);
  const vocab = vocabOf(run, 'vae interp');
  if (run.config.recipe.text!.lm)
    throw new UsageError(`${o.run} is a language model (--lm): it has no latent space to interpolate in`);
  const len = run.vae.spec.dataShape[0]!;
  const x = new Float32Array(2 * len);
  x.set(wordIds(run, vocab, 'from', o.from), 0);
  x.set(wordIds(run, vocab, 'to', o.to), len);
  const L = run.vae.spec.latent;
  const backend = new OrtBackend({ threads: o.threads });
  try {
    const loc = await encodeMeans(backend, run, { x: f32Tensor([2, len], x) });
    const z = new Float32Array(o.steps * L);
    let method: 'slerp' | 'lerp' = 'slerp';
    for (let s = 0; s < o.steps; s++) {
      const r = slerp(loc.subarray(0, L), loc.subarray(L, 2 * L), s / (o.steps - 1));
      method = r.method;
      z.set(r.z, s * L);
    }
    const strings = await decodeStrings(backend, run, vocab, z, 0, key(0));
    return { strings, from: o.from, to: o.to, steps: o.steps, method };
  } finally {
    await backend.dispose();
  }
}
