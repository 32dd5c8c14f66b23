// A tabular bundle's column schema (`data.tabular`): what createBundle writes, that it reads back
// equal, and that a manifest whose schema disagrees with itself is refused naming the field.
import { key } from '@vae/random';
import { describe, expect, it } from 'vitest';
import { BundleError, type BundleErrorReason } from '../bundle/errors';
import type { BundleTabularColumn } from '../bundle/manifest';
import { parseManifest, parseManifestText } from '../bundle/parse-manifest';
import { tabularVAE } from '../models/builders';
import { createBundle } from './create';

const columns: BundleTabularColumn[] = [
  { name: 'bill', type: 'continuous', offset: 0, mean: 44, std: 5.5, decimals: 1 },
  { name: 'island', type: 'categorical', offset: 1, categories: ['Biscoe', 'Dream', 'Torgersen'] },
  { name: 'sex', type: 'binary', offset: 4, values: ['female', 'male'] },
];
const vae = tabularVAE(
  [
    { name: 'bill', type: 'continuous' },
    { name: 'island', type: 'categorical', categories: 3 },
    { name: 'sex', type: 'binary' },
  ],
  { latent: 2, hidden: [8] },
);
const params = vae.init(key(1));
const bundle = await createBundle(vae, params, { tabular: columns });
// biome-ignore lint/suspicious/noExplicitAny: the tests edit manifest JSON freely to break it
const json = () => JSON.parse(JSON.stringify(bundle.manifest)) as Record<string, any>;

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

describe('data.tabular', () => {
  it('is written with the standardisation it implies, and reads back equal', () => {
    const d = bundle.manifest.data;
    expect(d.kind).toBe('tabular');
    expect(d.tabular).toEqual({ columns });
    expect(d.scaling).toEqual({ type: 'standardize', mean: [44, 0, 0, 0, 0], std: [5.5, 1, 1, 1, 1] });
    expect(parseManifestText(bundle.files['manifest.json']!)).toEqual(bundle.manifest);
  });

  it('stays optional: a tabular bundle without it (exported before it existed) still reads', async () => {
    const old = await createBundle(vae, params);
    expect(old.manifest.data.tabular).toBeUndefined();
    expect(old.manifest.data.scaling).toEqual({ type: 'none' });
    const m = json();
    delete m.data.tabular;
    m.data.scaling = { type: 'none' };
    expect(parseManifest(m).data.tabular).toBeUndefined();
  });

  it('refuses a schema that does not match the likelihood', () => {
    const renamed = json();
    renamed.data.tabular.columns[1].name = 'isle';
    rejects(
      renamed,
      'malformed',
      'data.tabular.columns[1].name',
      /"isle" but likelihood.columns\[1\] is "island"/,
    );
    const kind = json();
    kind.data.tabular.columns[2] = { name: 'sex', type: 'continuous', offset: 4, mean: 0, std: 1 };
    rejects(
      kind,
      'malformed',
      'data.tabular.columns[2].type',
      /continuous but likelihood.columns\[2\] is binary/,
    );
    const fewer = json();
    fewer.data.tabular.columns[1].categories.pop();
    rejects(fewer, 'shape', 'data.tabular.columns[1].categories', /has 2 names, the likelihood 3 categories/);
    const twice = json();
    twice.data.tabular.columns[1].categories = ['Biscoe', 'Dream', 'Dream'];
    rejects(twice, 'malformed', 'data.tabular.columns[1].categories', /distinct/);
    const extra = json();
    extra.data.tabular.columns.push({ name: 'x', type: 'binary', offset: 5, values: ['a', 'b'] });
    rejects(extra, 'shape', 'data.tabular.columns', /has 4 columns, the likelihood 3/);
  });

  it('refuses offsets, values and scaling that do not fit', () => {
    const off = json();
    off.data.tabular.columns[2].offset = 3;
    rejects(off, 'shape', 'data.tabular.columns[2].offset', /is 3, the columns before it end at feature 4/);
    const same = json();
    same.data.tabular.columns[2].values = ['m', 'm'];
    rejects(same, 'malformed', 'data.tabular.columns[2].values', /must differ/);
    const std = json();
    std.data.scaling.std[0] = 2;
    rejects(std, 'malformed', 'data.scaling.std[0]', /is 2, data.tabular.columns say 5.5/);
    const none = json();
    none.data.scaling = { type: 'none' };
    rejects(none, 'malformed', 'data.scaling', /type must be standardize/);
    const neg = json();
    neg.data.tabular.columns[0].std = -1;
    rejects(neg, 'malformed', 'data.tabular.columns[0].std', /Invalid value/);
    const image = json();
    image.data.kind = 'vector';
    rejects(image, 'malformed', 'data.tabular', /needs data.kind tabular, not vector/);
  });

  it('refuses a schema on a model that is not tabular', async () => {
    const { mlpVAE } = await import('../models/builders');
    const mlp = mlpVAE({ inputSize: 5, hidden: [4], latent: 2, likelihood: { type: 'gaussian', scale: 1 } });
    await expect(createBundle(mlp, mlp.init(key(0)), { kind: 'vector', tabular: columns })).rejects.toThrow(
      /data.tabular: a column schema needs data.kind tabular, not vector/,
    );
  });
});
