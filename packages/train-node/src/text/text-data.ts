import { modelFromSpec, TrainConfigError, textVAE } from '@vae/core';
import {
  buildCharVocab,
  type CharVocab,
  charCorpus,
  permutation,
  readCharCorpus,
  splitTestFraction,
  subsetDataset,
} from '@vae/datasets';
import type { RunData } from '../data/run-data';
import { DEFAULT_TEST_FRACTION, USER_SPLIT_SEED } from '../data/user-data';
import { asStoredDataInfo, type Recipe, type RunConfig, RunError } from '../run/run-dir';
import type { TextRecipe } from './text-settings';

// A text run's data: the file's lines (kept when at most --max-len characters), split like the
// user's other data without a test split (lines are exchangeable: a seeded draw), encoded with a
// vocabulary built on the training lines and saved in the run, so every later command reads the
// same ids.

/** What a text run saves beside its recipe (`config.extra.text`). */
export interface TextState {
  /** The vocabulary: `tokens[id]`, ids 0-3 reserved (pad, bos, eos, unk). */
  readonly tokens: readonly string[];
  /** Lines kept (at most maxLen characters) and left out. */
  readonly lines: number;
  readonly dropped: number;
  readonly split: { readonly train: number; readonly val: number; readonly test: number };
}

/** A text corpus split for a run. */
export interface TextData {
  readonly data: RunData;
  readonly vocab: CharVocab;
  readonly state: TextState;
  readonly testFraction: number;
}

/** The text settings of a run, or a one-line error for a run on other data. */
export function textRecipeOf(config: RunConfig, dir: string, command: string): TextRecipe {
  const t = config.recipe.text;
  if (!t) throw new RunError(`${command} --from/--to is for text runs; ${dir} is not one`);
  return t;
}

/** The saved vocabulary and split of a text run (`config.extra.text`). */
export function textStateOf(config: RunConfig): TextState {
  const s = config.extra?.text as TextState | undefined;
  if (!s?.tokens)
    throw new RunError('config.json of a text run has no extra.text.tokens: the run folder is damaged');
  return s;
}

/**
 * Reads and splits a text run's corpus: the test split is a seeded draw of `testFraction` of the
 * kept lines ({@link USER_SPLIT_SEED}), validation a draw of `valCount` of the rest (default 10%, at
 * most 5000), as `vae train` splits user data without a test split. `tokens`: the run's saved
 * vocabulary; absent, one is built from the training lines.
 * @throws TrainConfigError / DatasetError naming the file
 */
export async function loadTextData(
  recipe: Recipe,
  valCount: number | undefined,
  tokens?: readonly string[],
): Promise<TextData> {
  const t = recipe.text!;
  const opts = { maxLen: t.maxLen, lowercase: t.lowercase };
  const first = await readCharCorpus(recipe.dataset, tokens ? { ...opts, vocab: { tokens } } : opts);
  const n = first.lines.length;
  const testFraction = recipe.testFraction ?? DEFAULT_TEST_FRACTION;
  if (n < 3)
    throw new TrainConfigError(
      `${recipe.dataset}: ${n} line(s) of at most ${t.maxLen} characters; a text run needs at least 3 (train, validation, test)`,
    );
  const split = splitTestFraction(
    first.dataset,
    testFraction,
    { seed: USER_SPLIT_SEED },
    { stratify: false },
  );
  const rest = split.trainIndices;
  const val = valCount ?? Math.min(5000, Math.floor(rest.length / 10));
  if (!Number.isInteger(val) || val < 0 || val >= rest.length)
    throw new TrainConfigError(
      `--val: ${recipe.dataset} leaves ${rest.length} training lines; the validation size must be an integer in [0, ${rest.length - 1}], got ${val}`,
    );
  // As user data: validation is a seeded draw from the lines left after the test split.
  const order = permutation({ seed: USER_SPLIT_SEED + 1 }, rest.length);
  const pick = (from: number, to: number) => Uint32Array.from(order.slice(from, to), (i) => rest[i]!).sort();
  const valIdx = pick(0, val);
  const trainIdx = pick(val, rest.length);
  let corpus = first;
  if (!tokens) {
    // The vocabulary of the training lines only (characters seen only in test lines become UNK).
    const vocab = buildCharVocab(Array.from(trainIdx, (i) => first.lines[i]!));
    corpus = charCorpus(first.lines.join('\n'), { maxLen: t.maxLen, vocab, name: recipe.dataset });
  }
  const ds = corpus.dataset;
  const data: RunData = {
    train: subsetDataset(ds, trainIdx, `${ds.name}/train`),
    val: subsetDataset(ds, valIdx, `${ds.name}/val`),
    test: subsetDataset(ds, split.testIndices, `${ds.name}/test`),
    classNames: null,
    image: null,
  };
  const state: TextState = {
    tokens: corpus.vocab.tokens,
    lines: n,
    dropped: first.dropped,
    split: { train: trainIdx.length, val, test: split.testIndices.length },
  };
  return { data, vocab: corpus.vocab, state, testFraction };
}

/**
 * A text run's data and model: a fresh run builds its vocabulary and its text VAE (or `--lm`
 * language model) from the recipe; a resumed one reloads both as saved.
 */
export async function prepareTextRun(recipe: Recipe, saved: RunConfig | null, valFlag?: number) {
  const t = recipe.text!;
  const loaded = await loadTextData(
    recipe,
    saved ? recipe.valCount : valFlag,
    saved ? textStateOf(saved).tokens : undefined,
  );
  const vae = saved
    ? modelFromSpec(saved.model)
    : textVAE({
        vocab: loaded.vocab.tokens.length,
        maxLen: t.maxLen,
        latent: recipe.latent,
        embed: t.embed,
        hidden: recipe.hidden[0]!,
        wordDropout: t.wordDropout,
        lm: t.lm,
      });
  const full: Recipe = { ...recipe, valCount: loaded.state.split.val, testFraction: loaded.testFraction };
  return {
    recipe: full,
    data: loaded.data,
    vae,
    info: asStoredDataInfo(vae.spec.dataShape),
    extra: { text: loaded.state },
  };
}
