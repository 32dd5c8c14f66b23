import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  featuresFromWindows,
  fold,
  key,
  normal,
  parseManifestText,
  stringsFromTextIds,
  textIdsFromStrings,
  windowsFromFeatures,
} from '@vae/core';
import { buildCharVocab, decodeChars, encodeChars } from '@vae/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import { OrtBackend } from '../backend/ort-backend';
import { readConfig } from '../run/run-dir';
import { trainCommand } from '../run/train-command';
import { loadSeriesData } from '../series/series-data';
import { tinySeriesRun } from '../series/test-helpers';
import { textStateOf } from '../text/text-data';
import { textSampleCommand } from '../text/text-views';
import { exportRun } from './export-run';

// `vae export` of series and text runs: the manifest says what the data is, its mapping to user
// units / strings agrees with what training used (@vae/datasets), and the text bundle's decoder
// decodes as `vae sample` does.

const tmps: string[] = [];
afterAll(() => {
  for (const t of tmps) rmSync(t, { recursive: true, force: true });
});

describe('vae export: series runs', () => {
  it('writes data.series: columns, windowing and the training standardisation, as the windows were made', async () => {
    const { dir, tmp } = await tinySeriesRun();
    tmps.push(tmp);
    const r = await exportRun({ run: dir, mapExamples: 64, parityExamples: 16, threads: 1 });
    const m = parseManifestText(readFileSync(join(r.dir, 'manifest.json')));
    const state = readConfig(dir).extra!.series as { mean: number[]; std: number[] };
    expect(m.data.kind).toBe('series');
    expect(m.data.series).toEqual({
      columns: ['a', 'b'],
      window: 16,
      stride: 2,
      mean: state.mean,
      std: state.std,
      layout: 'cw',
    });
    expect(m.data.shape).toEqual([2, 16]);
    expect(m.graphs.score).toBeDefined();
    // Oracle: the standardised windows @vae/datasets made from the CSV, vs core's mapping of the
    // raw CSV values of the same steps.
    const s = await loadSeriesData(readConfig(dir));
    const test = s.windows.test!;
    const [C, W] = [2, 16];
    const raw = new Float32Array(3 * C * W);
    for (let i = 0; i < 3; i++)
      for (let c = 0; c < C; c++)
        for (let t = 0; t < W; t++)
          raw[(i * C + c) * W + t] = s.series.values[(test.starts[i]! + t) * C + c]!;
    const { x } = featuresFromWindows(m.data.series!, raw);
    const want = test.windows.data.subarray(0, 3 * C * W);
    for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(want[i]!, 5);
    const back = windowsFromFeatures(m.data.series!, want);
    for (let i = 0; i < x.length; i++) expect(back[i]).toBeCloseTo(raw[i]!, 4);
  }, 120_000);
});

describe('vae export: text runs', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vae-text-export-'));
  tmps.push(tmp);
  const corpus = join(tmp, 'words.txt');
  const words = ['cat', 'dog', 'cow', 'pig', 'hen', 'owl', 'elk', 'emu', 'yak', 'ant'];
  writeFileSync(corpus, `${Array.from({ length: 60 }, (_, i) => words[i % words.length]).join('\n')}\n`);
  const run = join(tmp, 'run');

  it('writes encoder, the decoding graph and data.text; its greedy strings are `vae sample --temperature 0`', async () => {
    await trainCommand({
      dataset: corpus,
      text: 'chars',
      maxLen: 5,
      latent: 2,
      hidden: [16],
      embed: 8,
      batch: 8,
      epochs: 1,
      out: run,
      threads: 1,
      quiet: true,
    });
    const r = await exportRun({ run, mapExamples: 16, parityExamples: 8, threads: 1 });
    const m = r.manifest;
    const tokens = textStateOf(readConfig(run)).tokens;
    expect(m.data.kind).toBe('text');
    expect(m.data.text).toEqual({ tokens, maxLen: 5, lowercase: false });
    expect(m.likelihood).toEqual({ type: 'sequence-categorical', output: 'ids', vocab: tokens.length });
    expect(m.decoder.inputs).toEqual([
      { name: 'z', shape: ['N', 2] },
      { name: 'u', shape: ['N', 6, tokens.length], noise: 'uniform' },
      { name: 'temperature', shape: [1] },
    ]);
    expect(m.decoder.outputs).toEqual([{ name: 'ids', shape: ['N', 6] }]);
    expect(m.encoder.inputs).toEqual([{ name: 'x', shape: ['N', 6] }]);
    expect(m.graphs).toEqual({});
    expect(r.parity.decoder).toBe(0);
    // The bundle's decoder on onnxruntime-node, mapped by core, vs the CLI (training graph + datasets).
    const n = 6;
    const cli = await textSampleCommand({ run, n, seed: 3, temperature: 0, threads: 1 });
    const backend = new OrtBackend({ threads: 1 });
    try {
      const dec = await backend.load(readFileSync(join(r.dir, 'decoder.onnx')));
      const z = normal(fold(key(3), 0), n * 2);
      const len = 6 * tokens.length;
      const out = await dec.run({
        z: { dtype: 'float32', shape: [n, 2], data: z },
        u: { dtype: 'float32', shape: [n, 6, tokens.length], data: new Float32Array(n * len).fill(0.5) },
        temperature: { dtype: 'float32', shape: [1], data: Float32Array.of(0) },
      });
      expect(stringsFromTextIds(m.data.text!, out.ids!.data as Float32Array)).toEqual(cli.strings);
    } finally {
      await backend.dispose();
    }
  }, 120_000);

  it('refuses --fp16 and --int8 for text runs in one line', async () => {
    await expect(exportRun({ run, fp16: true, out: join(tmp, 'b16') })).rejects.toThrow(
      '--fp16 is not for text runs',
    );
    await expect(exportRun({ run, int8: true, out: join(tmp, 'b8') })).rejects.toThrow(
      '--int8 is not for text runs',
    );
  });
});

describe("core's text mapping is @vae/datasets' encodeChars / decodeChars", () => {
  const lines = ['hello', 'wörld', 'a b', 'x'];
  const vocab = buildCharVocab(lines);
  const text = { tokens: [...vocab.tokens], maxLen: 7, lowercase: false };

  it('encodes the same ids, unknown characters as UNK', () => {
    const strings = [...lines, 'HeLLo?', ''];
    const got = textIdsFromStrings(text, strings);
    strings.forEach((s, i) => {
      expect(Array.from(got.subarray(i * 8, (i + 1) * 8))).toEqual(Array.from(encodeChars(vocab, s, 8)));
    });
  });

  it('decodes the same strings from any ids (EOS, PAD, BOS, UNK, out-of-vocabulary)', () => {
    const v = vocab.tokens.length;
    const ids = Float32Array.from({ length: 40 * 8 }, (_, i) => (i * 7919 + (i >> 3) * 31) % (v + 2));
    const got = stringsFromTextIds(text, ids);
    got.forEach((s, i) => {
      expect(s).toBe(decodeChars(vocab, ids.subarray(i * 8, (i + 1) * 8)));
    });
  });
});
