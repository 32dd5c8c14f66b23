import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from '../errors';
import {
  buildCharVocab,
  charCorpus,
  decodeChars,
  encodeChars,
  TEXT_BOS,
  TEXT_EOS,
  TEXT_PAD,
  TEXT_UNK,
} from './char-corpus';

describe('charCorpus', () => {
  it('orders the vocabulary by frequency after the reserved ids', () => {
    const v = buildCharVocab(['abba', 'ca']);
    expect(v.tokens).toEqual(['<pad>', '<bos>', '<eos>', '<unk>', 'a', 'b', 'c']);
  });

  it('encodes lines as ids + EOS + padding with a mask on the real positions', () => {
    const c = charCorpus('ab\r\n\nbca\nabcdef\n', { maxLen: 4 });
    expect(c.lines).toEqual(['ab', 'bca']);
    expect(c.dropped).toBe(1);
    expect(c.dataset.exampleShape).toEqual([5]);
    const [a, b, cc] = [4, 5, 6];
    expect([...c.dataset.get(0).x]).toEqual([a, b, TEXT_EOS, TEXT_PAD, TEXT_PAD]);
    expect([...c.dataset.get(0).mask!]).toEqual([1, 1, 1, 0, 0]);
    expect([...c.dataset.get(1).x]).toEqual([b, cc, a, TEXT_EOS, TEXT_PAD]);
    expect([...c.dataset.get(1).mask!]).toEqual([1, 1, 1, 1, 0]);
  });

  it('round-trips text through ids, code points not UTF-16 units', () => {
    const c = charCorpus('héllo wörld\n😀 ok', { maxLen: 12 });
    for (let i = 0; i < c.lines.length; i++) {
      expect(decodeChars(c.vocab, c.dataset.get(i).x)).toBe(c.lines[i]);
    }
    // The emoji is one character: the second line has 4 + EOS.
    expect([...c.dataset.get(1).mask!].reduce((s, m) => s + m, 0)).toBe(5);
  });

  it('maps unseen characters to <unk> with a fixed vocabulary', () => {
    const { vocab } = charCorpus('abc', { maxLen: 5 });
    const ids = encodeChars(vocab, 'azb', 6);
    expect(ids[1]).toBe(TEXT_UNK);
    expect(decodeChars(vocab, [TEXT_BOS, ...ids])).toBe('a\uFFFDb');
    const test = charCorpus('zz\nab', { maxLen: 5, vocab });
    expect(test.vocab).toBe(vocab);
    expect(test.dataset.get(0).x[0]).toBe(TEXT_UNK);
  });

  it('lower-cases on request and refuses what cannot be encoded in one line', () => {
    expect(charCorpus('AbC', { maxLen: 3, lowercase: true }).lines).toEqual(['abc']);
    expect(() => charCorpus('\n\n', { maxLen: 3 })).toThrow(/no non-empty lines/);
    expect(() => charCorpus('toolong', { maxLen: 3 })).toThrow(
      /none of its 1 lines has at most 3 characters; raise --max-len/,
    );
    expect(() => charCorpus('a', { maxLen: 0 })).toThrow(DatasetArgumentError);
    const { vocab } = charCorpus('abc', { maxLen: 5 });
    expect(() => encodeChars(vocab, 'abcdef', 6)).toThrow(/6 characters; at most 5 fit/);
  });

  it('keeps at most 252 characters, the rest becoming <unk>', () => {
    const many = Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x4e00 + i));
    // Character i appears 300 - i times, so the first 252 are the most frequent.
    const lines = many.map((ch, i) => ch.repeat(300 - i));
    const v = buildCharVocab(lines);
    expect(v.tokens.length).toBe(256);
    expect(v.tokens[4]).toBe(many[0]);
    expect(encodeChars(v, many[299]!, 2)[0]).toBe(TEXT_UNK);
  });
});
