import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { TrainConfigError } from '@vae/core';
import type { Recipe } from '../run/run-dir';
import { TEXT_DEFAULTS, type TextFlags, type TextRecipe } from './text-settings';

// `vae train --text chars`: which flags a text run takes, their checks, and the recipe they make.

/** The other `vae train` flags this module looks at, as typed (absent: undefined). */
export interface TextRunFlags extends TextFlags {
  readonly dataset?: string;
  readonly model?: string;
  readonly hidden?: readonly number[];
  readonly iwae?: number;
  readonly prior?: string;
  readonly likelihood?: string;
  readonly binarize?: string;
  readonly gaussianScale?: string;
  readonly denoise?: string;
  readonly conditional?: boolean;
  readonly classes?: readonly string[];
  readonly size?: readonly [number, number];
  readonly grey?: boolean;
  readonly channelsFirst?: boolean;
  readonly labels?: string;
  readonly series?: readonly string[];
  readonly window?: number;
  readonly stride?: number;
  readonly testFraction?: number;
  readonly freeBits?: number;
  readonly beta?: number;
  readonly warmupEpochs?: number;
}

/** Flags of text runs only, by their CLI names. */
const TEXT_ONLY: readonly [string, (f: TextFlags) => unknown][] = [
  ['max-len', (f) => f.maxLen],
  ['lowercase', (f) => f.lowercase],
  ['word-dropout', (f) => f.wordDropout],
  ['lm', (f) => f.lm],
  ['embed', (f) => f.embed],
];

/** Flags for other kinds of data, refused on a text run, with what they are for. */
const NOT_TEXT: readonly [string, (f: TextRunFlags) => unknown, string][] = [
  ['model', (f) => f.model, 'a text run has one model, the GRU text VAE (--lm: its language model)'],
  ['likelihood', (f) => f.likelihood, 'text is modelled by a categorical per character'],
  ['binarize', (f) => f.binarize, 'it binarises image pixels'],
  ['gaussian-scale', (f) => f.gaussianScale, 'it is for --likelihood gaussian on images'],
  ['denoise', (f) => f.denoise, 'its corruptions are for images (text has --word-dropout)'],
  ['conditional', (f) => f.conditional, 'text lines have no class labels'],
  ['classes', (f) => f.classes, 'text lines have no class labels'],
  ['size', (f) => f.size, 'it resizes images'],
  ['grey', (f) => f.grey, 'it converts images to grey'],
  ['channels-first', (f) => f.channelsFirst, 'it reads image arrays'],
  ['labels', (f) => f.labels, 'text lines have no class labels'],
  ['series', (f) => f.series, 'it reads time series from CSV columns'],
  ['window', (f) => f.window, 'it cuts time series into windows'],
  ['stride', (f) => f.stride, 'it cuts time series into windows'],
];

/**
 * The recipe fields of a text run (`recipe.text`, and the dataset as an absolute path), or null
 * when `--text` is absent; text-only flags without `--text`, and flags for other data with it, are
 * refused in one line naming the flag.
 * @throws TrainConfigError
 */
export function textRecipe(f: TextRunFlags): Pick<Recipe, 'dataset' | 'text' | 'freeBits'> | null {
  if (f.text === undefined) {
    const stray = TEXT_ONLY.find(([, v]) => v(f) !== undefined && v(f) !== false);
    if (stray)
      throw new TrainConfigError(
        `--${stray[0]} is for text data: add --text chars and give a text file as --dataset`,
      );
    return null;
  }
  if (f.text !== 'chars')
    throw new TrainConfigError(
      `--text ${f.text}: only chars exists (a character-level model of one sequence per line)`,
    );
  for (const [flag, v, why] of NOT_TEXT)
    if (v(f) !== undefined && v(f) !== false)
      throw new TrainConfigError(`--${flag} is not for text runs (${why}): drop --${flag}`);
  if (f.prior !== undefined && f.prior !== 'standard')
    throw new TrainConfigError(`--prior ${f.prior}: text runs have the standard normal prior: drop --prior`);
  if (f.iwae !== undefined && f.iwae > 1)
    throw new TrainConfigError(`--iwae ${f.iwae}: text runs train on the ELBO: drop --iwae`);
  if (f.lm) {
    const kl = (
      [
        ['free-bits', f.freeBits],
        ['beta', f.beta],
        ['warmup-epochs', f.warmupEpochs],
      ] as const
    ).find(([, v]) => v !== undefined);
    if (kl)
      throw new TrainConfigError(
        `--${kl[0]} acts on the KL term, and a language model (--lm) has none: drop --${kl[0]}`,
      );
  }
  if (f.hidden !== undefined && f.hidden.length !== 1)
    throw new TrainConfigError(
      `--hidden ${f.hidden.join(',')}: a text run has one GRU size (encoder and decoder), e.g. --hidden 256`,
    );
  if (f.dataset === undefined)
    throw new TrainConfigError('--text chars needs --dataset FILE.txt (one sequence per line)');
  if (!statSync(f.dataset, { throwIfNoEntry: false })?.isFile())
    throw new TrainConfigError(
      `${f.dataset}: no such file (--text chars reads a text file, one sequence per line)`,
    );
  if (f.maxLen === undefined)
    throw new TrainConfigError('--text chars needs --max-len N: the longest line kept, in characters');
  const int = (flag: string, v: number) => {
    if (!Number.isSafeInteger(v) || v < 1)
      throw new TrainConfigError(`--${flag} must be a positive integer, got ${v}`);
  };
  int('max-len', f.maxLen);
  const t = f.testFraction;
  if (t !== undefined && !(Number.isFinite(t) && t > 0 && t < 1))
    throw new TrainConfigError(`--test-fraction must be a number between 0 and 1 (exclusive), got ${t}`);
  const embed = f.embed ?? TEXT_DEFAULTS.embed;
  int('embed', embed);
  // The language model baseline is best without it: word dropout only pushes a VAE to use z.
  const wordDropout = f.wordDropout ?? (f.lm ? 0 : TEXT_DEFAULTS.wordDropout);
  if (!(wordDropout >= 0 && wordDropout < 1))
    throw new TrainConfigError(`--word-dropout must be a probability in [0, 1), got ${wordDropout}`);
  const text: TextRecipe = {
    kind: 'chars',
    maxLen: f.maxLen,
    lowercase: f.lowercase === true,
    wordDropout,
    lm: f.lm === true,
    embed,
  };
  // Free bits against posterior collapse by default (measured: see TEXT_DEFAULTS); --free-bits 0: none.
  const freeBits = f.lm ? null : (f.freeBits ?? TEXT_DEFAULTS.freeBits);
  return { dataset: resolve(f.dataset), text, freeBits };
}

type Check = readonly [flag: string, given: (f: TextFlags) => unknown, saved: (r: Recipe) => unknown];

/** `--resume` checks of the text flags (runs on other data: none). */
export const TEXT_CHECKS: readonly Check[] = [
  ['text', (f) => f.text, (r) => r.text?.kind ?? 'none'],
  ['max-len', (f) => f.maxLen, (r) => r.text?.maxLen ?? null],
  ['lowercase', (f) => (f.lowercase === true ? true : undefined), (r) => r.text?.lowercase ?? false],
  ['word-dropout', (f) => f.wordDropout, (r) => r.text?.wordDropout ?? null],
  ['lm', (f) => (f.lm === true ? true : undefined), (r) => r.text?.lm ?? false],
  ['embed', (f) => f.embed, (r) => r.text?.embed ?? null],
];
