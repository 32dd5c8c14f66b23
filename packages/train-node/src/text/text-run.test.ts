import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importanceSampledLogLikelihood, key } from '@vae/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OrtBackend } from '../backend/ort-backend';
import { main } from '../cli/main';
import { loadRunData, splitInputs } from '../data/load-data';
import { evalCommand } from '../eval/eval-command';
import { exportRun } from '../export/export-run';
import { recipeFrom } from '../run/recipe-flags';
import { loadRun, readConfig } from '../run/run-dir';
import { type TrainCommandOptions, trainCommand } from '../run/train-command';
import { textStateOf } from './text-data';
import { textInterpCommand, textSampleCommand } from './text-views';

// `vae train --text chars` end to end on tiny corpora: flag refusals, train -> eval -> sample ->
// interp, the language model baseline, and resume.

const dir = mkdtempSync(join(tmpdir(), 'vae-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every word has 3 characters, so every sequence has 4 real positions (3 + EOS) whatever the split.
const WORDS = ['cat', 'dog', 'cow', 'pig', 'hen', 'owl', 'elk', 'emu', 'yak', 'ant'];
const corpus = join(dir, 'words.txt');
writeFileSync(
  corpus,
  `${Array.from({ length: 60 }, (_, i) => WORDS[i % WORDS.length]).join('\n')}\nhippopotamus\n`,
);
// Two words, for a model that memorises them.
const pair = join(dir, 'pair.txt');
writeFileSync(pair, `${Array.from({ length: 40 }, (_, i) => (i % 2 ? 'dog' : 'cat')).join('\n')}\n`);

const tiny = (out: string, extra: Partial<TrainCommandOptions> = {}): TrainCommandOptions => ({
  dataset: corpus,
  text: 'chars',
  maxLen: 5,
  latent: 2,
  hidden: [16],
  embed: 8,
  batch: 8,
  epochs: 1,
  out,
  threads: 1,
  quiet: true,
  ...extra,
});

/** The CLI in this process: exit code, stdout and stderr. */
async function cli(...argv: string[]) {
  let [stdout, stderr] = ['', ''];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('vae train --text: flags', () => {
  const base = { dataset: corpus, text: 'chars', maxLen: 5 };
  it.each([
    [{ ...base, text: 'words' }, '--text words: only chars exists'],
    [{ dataset: corpus, maxLen: 5 }, '--max-len is for text data: add --text chars'],
    [{ ...base, likelihood: 'gaussian' }, '--likelihood is not for text runs'],
    [{ ...base, series: ['a'] }, '--series is not for text runs'],
    [{ ...base, model: 'mlp' as const }, '--model is not for text runs'],
    [
      { ...base, lm: true, freeBits: 1 },
      '--free-bits acts on the KL term, and a language model (--lm) has none',
    ],
    [{ ...base, maxLen: undefined }, '--text chars needs --max-len N'],
    [{ ...base, dataset: join(dir, 'missing.txt') }, 'missing.txt: no such file'],
    [{ ...base, wordDropout: 1 }, '--word-dropout must be a probability in [0, 1), got 1'],
  ])('refuses %j in one line', (flags, message) => {
    expect(() => recipeFrom(flags)).toThrow(message);
  });

  it('records the text settings and the defaults (free bits on for a VAE, off for the LM)', () => {
    const r = recipeFrom(base);
    expect(r).toMatchObject({ model: 'text', latent: 16, hidden: [256], freeBits: 0.25 });
    expect(r.text).toEqual({
      kind: 'chars',
      maxLen: 5,
      lowercase: false,
      wordDropout: 0.25,
      lm: false,
      embed: 64,
    });
    expect(recipeFrom({ ...base, lm: true })).toMatchObject({
      freeBits: null,
      text: { lm: true, wordDropout: 0 },
    });
  });
});

describe('a text run end to end', () => {
  const run = join(dir, 'vae');
  beforeAll(async () => {
    await trainCommand(tiny(run));
  }, 120_000);

  it('saves the training lines vocabulary and split; drops lines over --max-len', () => {
    const c = readConfig(run);
    const extra = textStateOf(c);
    expect(extra.tokens.slice(0, 4)).toEqual(['<pad>', '<bos>', '<eos>', '<unk>']);
    // Every character of the corpus (each word is in training: 60 lines, 6 of each).
    expect(new Set(extra.tokens.slice(4))).toEqual(new Set(WORDS.join('')));
    expect(extra).toMatchObject({ lines: 60, dropped: 1 });
    expect(extra.split.train + extra.split.val + extra.split.test).toBe(60);
    expect(extra.split.test).toBe(6); // 10%
    expect(c.model.dataShape).toEqual([6]);
  });

  it('eval: nats per sequence and bits per character over characters + EOS', async () => {
    const r = await evalCommand({ run, iw: 20, threads: 1 });
    expect(r.n).toBe(6);
    expect(r.text!.positions_per_sequence).toBe(4);
    expect(r.text!.bits_per_char).toBeCloseTo(r.nll_iw! / 4 / Math.LN2, 10);
    expect(r.text!.elbo_bits_per_char).toBeCloseTo(r.elbo / 4 / Math.LN2, 10);
    // A bound: the IW estimate is at most the -ELBO (to noise), and both are finite nats.
    expect(r.nll_iw!).toBeLessThan(r.elbo + 0.5);
    expect(r.kl).toBeGreaterThanOrEqual(0);
    expect(r.active_units).toBeGreaterThanOrEqual(0);
    expect(r.kl_per_dim).toHaveLength(2);
  }, 60_000);

  it('importance sampling with a static batch gives the symbolic batch figures', async () => {
    const loaded = loadRun(run);
    const inputs = splitInputs((await loadRunData(loaded.config)).test, loaded.config.data, 0);
    const backend = new OrtBackend({ threads: 1 });
    try {
      // 6 rows in batches of 3: the same noise feeds either way (no padding), so the same weights.
      const opts = { k: 8, chunk: 4, batch: 3 };
      const k = key(5);
      const symbolic = await importanceSampledLogLikelihood(
        backend,
        loaded.vae,
        loaded.params,
        inputs,
        k,
        opts,
      );
      const fixed = await importanceSampledLogLikelihood(backend, loaded.vae, loaded.params, inputs, k, {
        ...opts,
        staticBatch: true,
      });
      for (let i = 0; i < 6; i++) expect(fixed[i]).toBeCloseTo(symbolic[i]!, 4);
    } finally {
      await backend.dispose();
    }
  }, 60_000);

  it('sample prints n strings of vocabulary characters; the same seed gives the same strings', async () => {
    const r = await cli('sample', '--run', run, '--n', '7', '--seed', '3', '--threads', '1');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.strings).toHaveLength(7);
    expect(r.stderr.trim().split('\n')).toEqual(json.strings.map(String));
    for (const s of json.strings as string[]) {
      expect(s.length).toBeLessThanOrEqual(6);
      for (const ch of s) expect(WORDS.join('')).toContain(ch);
    }
    const again = await textSampleCommand({ run, n: 7, seed: 3, threads: 1 });
    expect(again.strings).toEqual(json.strings);
    const png = await cli('sample', '--run', run, '--png', 'x.png');
    expect(png.code).toBe(1);
    expect(png.stderr).toMatch(/--png is for image and tabular runs; .* is a text run/);
  }, 60_000);

  it('interp refuses words it cannot read, in one line', async () => {
    await expect(textInterpCommand({ run, from: 'cat', to: 'zebra', steps: 3 })).rejects.toThrow(
      /--to "zebra": "z", "b", "r" not in .* vocabulary/,
    );
    await expect(textInterpCommand({ run, from: 'catcatcat', to: 'dog', steps: 3 })).rejects.toThrow(
      '--from "catcatcat" has 9 characters',
    );
  }, 60_000);

  it('interp without --from/--to and export say what a text run takes, in one line', async () => {
    const r = await cli('interp', '--run', run);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is a text run: give --from WORD --to WORD');
    // export writes text bundles (export/sequence-export.test.ts) but not fp16/int8 ones.
    await expect(exportRun({ run, fp16: true })).rejects.toThrow('--fp16 is not for text runs');
  });

  it('resume keeps the vocabulary and refuses a different --max-len', async () => {
    const before = readConfig(run).extra?.text;
    await trainCommand({ out: run, resume: true, epochs: 2, threads: 1, quiet: true });
    expect(readConfig(run).extra?.text).toEqual(before);
    await expect(trainCommand({ out: run, resume: true, epochs: 3, maxLen: 7, quiet: true })).rejects.toThrow(
      "--max-len 7 differs from the run's recipe (max-len 5)",
    );
  }, 120_000);
});

describe('the language model baseline (--lm)', () => {
  it('has KL exactly 0, and its importance-sampled bound equals its ELBO', async () => {
    const run = join(dir, 'lm');
    await trainCommand(tiny(run, { lm: true }));
    const r = await evalCommand({ run, iw: 10, threads: 1 });
    expect(r.kl).toBe(0);
    expect(r.active_units).toBe(0);
    expect(r.nll_iw!).toBeCloseTo(r.elbo, 4);
    expect(r.text!.lm).toBe(true);
    await expect(textInterpCommand({ run, from: 'cat', to: 'dog', steps: 3 })).rejects.toThrow(
      'is a language model (--lm): it has no latent space',
    );
  }, 120_000);
});

describe('interp on a memorised pair', () => {
  it('prints --steps strings from the first word to the second', async () => {
    const run = join(dir, 'pair');
    await trainCommand(
      tiny(run, { dataset: pair, epochs: 40, wordDropout: 0, freeBits: 0.5, lr: 1e-2, val: 0 }),
    );
    const r = await textInterpCommand({ run, from: 'cat', to: 'dog', steps: 5, threads: 1 });
    expect(r.strings).toHaveLength(5);
    expect(r.strings[0]).toBe('cat');
    expect(r.strings[4]).toBe('dog');
  }, 180_000);
});
