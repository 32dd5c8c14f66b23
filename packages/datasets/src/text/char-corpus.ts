/**
 * A character-level text corpus: one sequence per non-empty line, characters as ids over a small
 * vocabulary (Unicode code points, not UTF-16 units), each sequence ended by EOS and padded to a
 * fixed length, with a mask marking the real positions. Pure: no Node built-ins.
 */
import { createDataset, type Dataset } from '../dataset';
import { DatasetArgumentError } from '../errors';

/** Reserved ids: padding, begin-of-sequence (the decoder's first input), end, unknown character. */
export const TEXT_PAD = 0;
export const TEXT_BOS = 1;
export const TEXT_EOS = 2;
export const TEXT_UNK = 3;
const RESERVED = ['<pad>', '<bos>', '<eos>', '<unk>'] as const;
/** Ids are stored as bytes, so the vocabulary holds the 252 most frequent characters at most. */
const MAX_VOCAB = 256;

/** The id of each character: `tokens[id]`, ids 0-3 reserved (pad, bos, eos, unk). */
export interface CharVocab {
  readonly tokens: readonly string[];
}

/** Options of {@link charCorpus}. */
export interface CharCorpusOptions {
  /** Longest line kept, in characters (its sequence is maxLen + 1 with EOS). */
  readonly maxLen: number;
  /** Lower-case every line first (default false). */
  readonly lowercase?: boolean;
  /** Use this vocabulary instead of building one (e.g. a trained model's). */
  readonly vocab?: CharVocab;
  /** Name for messages and the dataset (default `text`). */
  readonly name?: string;
}

/** The encoded corpus. */
export interface CharCorpus {
  readonly vocab: CharVocab;
  /** The kept lines, in file order. */
  readonly lines: readonly string[];
  /** Lines longer than maxLen, left out. */
  readonly dropped: number;
  /** Ids [count, maxLen + 1] (uint8), mask 1 on the characters and the EOS. */
  readonly dataset: Dataset<'uint8'>;
}

/**
 * Builds a vocabulary from lines: the reserved ids, then characters by falling frequency (ties by
 * code point), at most 252 of them; rarer ones will map to `<unk>`.
 *
 * @param lines - the training lines
 * @returns the vocabulary
 */
export function buildCharVocab(lines: readonly string[]): CharVocab {
  const counts = new Map<string, number>();
  for (const line of lines) for (const ch of line) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const chars = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].codePointAt(0)! - b[0].codePointAt(0)!)
    .slice(0, MAX_VOCAB - RESERVED.length)
    .map(([ch]) => ch);
  return { tokens: [...RESERVED, ...chars] };
}

/**
 * A line's ids: its characters (unknown ones as `<unk>`), then EOS, then padding to `length`.
 *
 * @param vocab - the vocabulary
 * @param line - the text
 * @param length - the sequence length (at least the line's characters + 1)
 * @returns the ids
 * @throws DatasetArgumentError when the line does not fit
 */
export function encodeChars(vocab: CharVocab, line: string, length: number): Uint8Array {
  const index = vocabIndex(vocab);
  const chars = Array.from(line);
  if (chars.length + 1 > length) {
    throw new DatasetArgumentError(
      'text',
      `"${line}" has ${chars.length} characters; at most ${length - 1} fit this model`,
    );
  }
  const ids = new Uint8Array(length);
  chars.forEach((ch, i) => {
    ids[i] = index.get(ch) ?? TEXT_UNK;
  });
  ids[chars.length] = TEXT_EOS;
  return ids;
}

/**
 * The text of ids, up to the first EOS or padding; `<unk>` shows as U+FFFD, a stray BOS as nothing.
 *
 * @param vocab - the vocabulary
 * @param ids - token ids
 * @returns the string
 */
export function decodeChars(vocab: CharVocab, ids: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id === TEXT_EOS || id === TEXT_PAD) break;
    if (id === TEXT_BOS) continue;
    out += id === TEXT_UNK || id >= vocab.tokens.length ? '\uFFFD' : vocab.tokens[id];
  }
  return out;
}

/**
 * Encodes a text file's lines. Line ends (LF or CRLF) split sequences; empty lines are skipped.
 *
 * @param text - the file's contents
 * @param options - maximum length, lower-casing, a fixed vocabulary
 * @returns the vocabulary, the kept lines and their dataset
 * @throws DatasetArgumentError for a bad maxLen or when no line fits
 */
export function charCorpus(text: string, options: CharCorpusOptions): CharCorpus {
  const { maxLen, lowercase = false, name = 'text' } = options;
  if (!Number.isInteger(maxLen) || maxLen < 1) {
    throw new DatasetArgumentError(name, `max length must be an integer >= 1, got ${maxLen}`);
  }
  const all = text
    .split(/\r?\n/)
    .map((l) => (lowercase ? l.toLowerCase() : l))
    .filter((l) => l.length > 0);
  const lines = all.filter((l) => Array.from(l).length <= maxLen);
  if (lines.length === 0) {
    throw new DatasetArgumentError(
      name,
      all.length === 0
        ? 'has no non-empty lines; give one sequence per line'
        : `none of its ${all.length} lines has at most ${maxLen} characters; raise --max-len`,
    );
  }
  const vocab = options.vocab ?? buildCharVocab(lines);
  const length = maxLen + 1;
  const data = new Uint8Array(lines.length * length);
  const mask = new Uint8Array(lines.length * length);
  lines.forEach((line, i) => {
    const ids = encodeChars(vocab, line, length);
    data.set(ids, i * length);
    mask.fill(1, i * length, i * length + Array.from(line).length + 1);
  });
  const dataset = createDataset({ name, dtype: 'uint8', data, exampleShape: [length], mask });
  return { vocab, lines, dropped: all.length - lines.length, dataset };
}

const indexes = new WeakMap<CharVocab, Map<string, number>>();
/** Character -> id, built once per vocabulary. */
function vocabIndex(vocab: CharVocab): Map<string, number> {
  let m = indexes.get(vocab);
  if (!m) {
    m = new Map(vocab.tokens.map((t, i) => [t, i] as [string, number]).slice(RESERVED.length));
    indexes.set(vocab, m);
  }
  return m;
}
