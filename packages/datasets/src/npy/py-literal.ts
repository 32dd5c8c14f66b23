/**
 * A strict parser for the Python literals numpy writes in a `.npy` header (no eval): the header
 * dict with its strings, numbers, booleans, None, tuples and lists, and `show` for messages.
 */
import { NpyFormatError } from '../errors';

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}
export type PyValue = string | number | boolean | null | PyTuple | PyValue[] | Map<string, PyValue>;

export function show(v: PyValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v instanceof PyTuple) return `(${v.items.map(show).join(', ')})`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v instanceof Map) return 'a dict';
  return typeof v === 'string' ? `'${v}'` : String(v);
}

const MAX_DEPTH = 8;

export function parseHeaderDict(text: string, source: string): Map<string, PyValue> {
  let at = 0;
  const fail = (what: string): never => {
    throw new NpyFormatError(
      source,
      'bad-header',
      `header is not a valid dict literal: ${what} at character ${at}`,
    );
  };
  const skip = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const expect = (c: string) => {
    skip();
    if (text[at] !== c) fail(`expected '${c}'`);
    at++;
  };
  const sequence = (close: string, depth: number): PyValue[] => {
    const items: PyValue[] = [];
    for (;;) {
      skip();
      if (text[at] === close) break;
      items.push(value(depth + 1));
      skip();
      if (text[at] === ',') at++;
      else if (text[at] !== close) fail(`expected ',' or '${close}'`);
    }
    at++;
    return items;
  };
  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skip();
    const c = text[at];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, at + 1);
      if (end < 0) fail('unterminated string');
      const s = text.slice(at + 1, end);
      if (s.includes('\\')) fail('escapes in strings');
      at = end + 1;
      return s;
    }
    if (c === '(') {
      at++;
      return new PyTuple(sequence(')', depth));
    }
    if (c === '[') {
      at++;
      return sequence(']', depth);
    }
    if (c === '{') {
      at++;
      const map = new Map<string, PyValue>();
      for (;;) {
        skip();
        if (text[at] === '}') break;
        const key = value(depth + 1);
        if (typeof key !== 'string') fail('a non-string key');
        if (map.has(key as string)) fail(`duplicate key '${key}'`);
        expect(':');
        map.set(key as string, value(depth + 1));
        skip();
        if (text[at] === ',') at++;
        else if (text[at] !== '}') fail("expected ',' or '}'");
      }
      at++;
      return map;
    }
    const word = /^(True|False|None|-?\d{1,20}L?)/.exec(text.slice(at, at + 24));
    if (word === null) return fail('unexpected text');
    at += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number.parseInt(word[0], 10);
  };
  const dict = value(0);
  skip();
  if (at !== text.length) fail('text after the dict');
  if (!(dict instanceof Map)) return fail('not a dict');
  return dict as Map<string, PyValue>;
}
