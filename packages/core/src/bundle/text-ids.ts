/**
 * Strings <-> the float32 ids a text bundle's encoder reads and decoder writes. This is THE mapping
 * of browsers (infer-web); it follows `@vae/datasets`' `encodeChars` / `decodeChars` (what training
 * and the `vae` CLI use; datasets cannot import core), and train-node's tests hold the two to the
 * same ids and strings. Characters are Unicode code points.
 */
import { UserError } from '../errors/user-error';
import { type BundleText, TEXT_RESERVED } from './manifest';

/** A string that does not fit the model (too long), or ids of the wrong length. */
export class TextInputError extends UserError {
  override name = 'TextInputError';
  constructor(
    message: string,
    /** Index of the string at fault. */
    readonly index: number,
  ) {
    super(message);
  }
}

const indexes = new WeakMap<BundleText, Map<string, number>>();
/** Character -> id (reserved ids excluded), built once per vocabulary. */
function charIndex(text: BundleText): Map<string, number> {
  let m = indexes.get(text);
  if (!m) {
    m = new Map(text.tokens.map((t, i) => [t, i] as [string, number]).slice(TEXT_RESERVED.unk + 1));
    indexes.set(text, m);
  }
  return m;
}

/**
 * Ids [n, maxLen + 1] of strings: lower-cased when the model was trained so, each character's id
 * (unknown ones UNK), then EOS, then PAD.
 * @throws TextInputError for an empty batch or a string longer than maxLen characters
 */
export function textIdsFromStrings(text: BundleText, strings: readonly string[]): Float32Array {
  if (!Array.isArray(strings) || strings.length === 0)
    throw new TextInputError('texts must be a non-empty array of strings', 0);
  const len = text.maxLen + 1;
  const index = charIndex(text);
  const ids = new Float32Array(strings.length * len);
  strings.forEach((s, i) => {
    if (typeof s !== 'string') throw new TextInputError(`text ${i} is not a string`, i);
    const chars = Array.from(text.lowercase ? s.toLowerCase() : s);
    if (chars.length > text.maxLen)
      throw new TextInputError(
        `text ${i} "${s}" has ${chars.length} characters; this model reads at most ${text.maxLen}`,
        i,
      );
    chars.forEach((ch, t) => {
      ids[i * len + t] = index.get(ch) ?? TEXT_RESERVED.unk;
    });
    ids[i * len + chars.length] = TEXT_RESERVED.eos;
  });
  return ids;
}

/** One sequence's text: up to the first EOS or PAD; UNK (or an id outside the vocabulary) as U+FFFD, BOS as nothing. */
function stringOf(text: BundleText, ids: ArrayLike<number>, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const id = ids[i]!;
    if (id === TEXT_RESERVED.eos || id === TEXT_RESERVED.pad) break;
    if (id === TEXT_RESERVED.bos) continue;
    out += id === TEXT_RESERVED.unk || !(id < text.tokens.length) ? '\uFFFD' : text.tokens[id];
  }
  return out;
}

/**
 * Strings of ids [n, maxLen + 1] (row-major, as the decoder writes them).
 * @throws TextInputError when the length is not a multiple of maxLen + 1
 */
export function stringsFromTextIds(text: BundleText, ids: ArrayLike<number>): string[] {
  const len = text.maxLen + 1;
  if (ids.length % len !== 0)
    throw new TextInputError(`${ids.length} ids are not a multiple of ${len} per text`, 0);
  return Array.from({ length: ids.length / len }, (_, i) => stringOf(text, ids, i * len, (i + 1) * len));
}
