// Series and text bundles: what createBundle writes (`data.series`, `data.text`, the decoding graph
// as the text decoder, no probability graphs for text), that it reads back equal, and that a
// manifest whose blocks disagree with themselves is refused naming the field.
import { key } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { BundleError, type BundleErrorReason } from '../bundle/errors';
import { parseManifest, parseManifestText } from '../bundle/parse-manifest';
import { featuresFromWindows, windowsFromFeatures } from '../bundle/series-windows';
import { stringsFromTextIds, textIdsFromStrings } from '../bundle/text-ids';
import { seriesConvVAE } from '../models/series-vae';
import { textVAE } from '../models/text-vae';
import { createBundle } from './create';

const series = { columns: ['a', 'b'], window: 8, stride: 2, mean: [10, -1], std: [2, 0.5] };
const sVae = seriesConvVAE({ channels: 2, window: 8, latent: 2, hidden: [4] });
const sBundle = await createBundle(sVae, sVae.init(key(1)), { series });
const tokens = ['<pad>', '<bos>', '<eos>', '<unk>', 'x', 'y', 'z'];
const tVae = textVAE({ vocab: tokens.length, maxLen: 4, latent: 2, embed: 4, hidden: 8 });
const tBundle = await createBundle(tVae, tVae.init(key(2)), { text: { tokens, lowercase: false } });
// biome-ignore lint/suspicious/noExplicitAny: the tests edit manifest JSON freely to break it
type Json = Record<string, any>;
const json = (b: typeof sBundle) => JSON.parse(JSON.stringify(b.manifest)) as Json;

function rejects(m: unknown, reason: BundleErrorReason, path: string, text: RegExp): void {
  try {
    parseManifest(m);
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    expect({ reason: (e as BundleError).reason, path: (e as BundleError).path }).toEqual({ reason, path });
    expect((e as Error).message).toMatch(text);
    return;
  }
  throw new Error(`expected a BundleError at ${path}`);
}

describe('data.series', () => {
  it('is written with kind series and the per-feature standardisation it implies; reads back equal', () => {
    const d = sBundle.manifest.data;
    expect(d.kind).toBe('series');
    expect(d.series).toEqual({ ...series, layout: 'cw' });
    expect(d.scaling).toEqual({
      type: 'standardize',
      mean: [...new Array(8).fill(10), ...new Array(8).fill(-1)],
      std: [...new Array(8).fill(2), ...new Array(8).fill(0.5)],
    });
    expect(sBundle.manifest.graphs.score).toBeDefined();
    expect(parseManifestText(sBundle.files['manifest.json']!)).toEqual(sBundle.manifest);
  });

  it('stays optional: a series model exported as kind vector (older bundles) still reads', async () => {
    const b = await createBundle(sVae, sVae.init(key(1)), { kind: 'vector' });
    expect(b.manifest.data.kind).toBe('vector');
    expect(b.manifest.data.series).toBeUndefined();
  });

  it.each([
    [
      'a mean per column',
      (m: Json): void => {
        m.data.series.mean.push(0);
      },
      'shape',
      'data.series.mean',
      /3 entries for 2 columns/,
    ],
    [
      'kind series',
      (m: Json): void => {
        m.data.kind = 'vector';
      },
      'malformed',
      'data.series',
      /needs data.kind series/,
    ],
    [
      'shape [C, W]',
      (m: Json): void => {
        m.data.series.window = 9;
      },
      'shape',
      'data.shape',
      /\[2, 9\]/,
    ],
    [
      'scaling as the block says',
      (m: Json): void => {
        m.data.scaling.mean[9] = 0;
      },
      'malformed',
      'data.scaling.mean[9]',
      /data.series says -1/,
    ],
    [
      'its probability graphs',
      (m: Json): void => {
        delete m.graphs.score;
      },
      'malformed',
      'graphs.score',
      /needs its score graph/,
    ],
  ] as const)('refuses a manifest without %s', (_what, edit, reason, path, text) => {
    const m = json(sBundle);
    edit(m);
    rejects(m, reason, path, text);
  });

  it('maps user units to features and back (value = feature * std + mean per column)', () => {
    const s = sBundle.manifest.data.series!;
    const raw = Float32Array.from({ length: 16 }, (_, i) => (i < 8 ? 10 + 2 * i : -1 + 0.5 * (i - 8)));
    const { n, x } = featuresFromWindows(s, raw);
    expect(n).toBe(1);
    expect(Array.from(x)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(windowsFromFeatures(s, x))).toEqual(Array.from(raw));
    expect(() => featuresFromWindows(s, [[[1]]])).toThrow(/window 0 must be 2 columns \(a, b\) of 8 steps/);
    expect(() => featuresFromWindows(s, Float32Array.of(...new Array(15).fill(Number.NaN), 1))).toThrow(
      /non-finite/,
    );
  });
});

describe('data.text', () => {
  it('ships the decoding graph as decoder (uniform noise u), the encoder on ids, and no probability graphs', () => {
    const m = tBundle.manifest;
    expect(m.data).toMatchObject({ kind: 'text', shape: [5], text: { tokens, maxLen: 4, lowercase: false } });
    expect(m.likelihood).toEqual({ type: 'sequence-categorical', output: 'ids', vocab: 7 });
    expect(m.decoder.inputs.find((t) => t.name === 'u')).toEqual({
      name: 'u',
      shape: ['N', 5, 7],
      noise: 'uniform',
    });
    expect(m.graphs).toEqual({});
    expect(Object.keys(tBundle.files).sort()).toEqual(['decoder.onnx', 'encoder.onnx', 'manifest.json']);
    expect(parseManifestText(tBundle.files['manifest.json']!)).toEqual(m);
  });

  it.each([
    [
      'its vocabulary',
      (m: Json): void => {
        delete m.data.text;
      },
      'malformed',
      'data.text',
      /needs its vocabulary/,
    ],
    [
      'vocab = tokens',
      (m: Json): void => {
        m.data.text.tokens.push('w');
      },
      'shape',
      'data.text.tokens',
      /8 tokens, likelihood.vocab is 7/,
    ],
    [
      'shape [maxLen + 1]',
      (m: Json): void => {
        m.data.text.maxLen = 5;
      },
      'shape',
      'data.shape',
      /\[6\]/,
    ],
    [
      'noise u marked uniform',
      (m: Json): void => {
        delete m.decoder.inputs[1].noise;
      },
      'malformed',
      'decoder.inputs',
      /uniform noise u/,
    ],
    [
      'kind text for its likelihood',
      (m: Json): void => {
        m.data.kind = 'vector';
        delete m.data.text;
      },
      'malformed',
      'likelihood',
      /needs data.kind text/,
    ],
  ] as const)('refuses a manifest without %s', (_what, edit, reason, path, text) => {
    const m = json(tBundle);
    edit(m);
    rejects(m, reason, path, text);
  });

  it('maps strings to ids and back (EOS, PAD, UNK, lower-casing)', () => {
    const t = { tokens, maxLen: 4, lowercase: true };
    expect(Array.from(textIdsFromStrings(t, ['XyZ', 'x?', '']))).toEqual([
      ...[4, 5, 6, 2, 0],
      ...[4, 3, 2, 0, 0],
      ...[2, 0, 0, 0, 0],
    ]);
    expect(stringsFromTextIds(t, Float32Array.of(4, 1, 3, 2, 5, 6, 9, 0, 4, 4))).toEqual([
      'x\uFFFD',
      'z\uFFFD',
    ]);
    expect(() => textIdsFromStrings(t, ['xxxxx'])).toThrow(/has 5 characters; this model reads at most 4/);
    expect(() => stringsFromTextIds(t, new Float32Array(3))).toThrow(/not a multiple of 5/);
  });
});
