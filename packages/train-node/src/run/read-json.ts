import { readFileSync } from 'node:fs';

/**
 * Reads and parses a JSON file a run or bundle folder holds (config.json, manifest.json, ...). A
 * syntax error becomes `damaged(message)`, where the message names the file and the parser's
 * complaint, e.g. `runs/x/config.json is not valid JSON (Unexpected token } in JSON at position 9)`:
 * a user-facing error the caller types, instead of a bare SyntaxError that names no file.
 */
export function readJsonFile(path: string, damaged: (message: string) => Error): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw damaged(`${path} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}
