// Rows in user units through infer-web (onnxruntime-web wasm in Node) equal what the `vae` CLI
// computes for the same model and key: the CLI's graphs (sample: prior -> decoder -> p(x|z) draw;
// impute: importance-weighted E[x | x_obs]) built from core on the interpreter, then core's one
// mapping to user units. The browser-side CLI check (its CSVs) is the playground's e2e test.
import {
  type BundleTabularColumn,
  createBundle,
  fold,
  Graph,
  GraphNoise,
  type HostTensor,
  interpret,
  key,
  mlpVAE,
  normal,
  rowsFromFeatures,
  type TabularRow,
  type Tensor,
  tabularVAE,
  type VAE,
} from '@vae/core';
import { describe, expect, it } from 'vitest';
import { InferError } from './errors';
import { loadModel } from './load';

const columns: BundleTabularColumn[] = [
  { name: 'mass', type: 'continuous', offset: 0, mean: 4200, std: 800, decimals: 0 },
  { name: 'island', type: 'categorical', offset: 1, categories: ['Biscoe', 'Dream', 'Torgersen'] },
  { name: 'sex', type: 'binary', offset: 4, values: ['female', 'male'] },
  { name: 'bill', type: 'continuous', offset: 5, mean: 44, std: 5.5, decimals: 1 },
];
const modelColumns = columns.map((c) =>
  c.type === 'categorical'
    ? { name: c.name, type: c.type, categories: c.categories.length }
    : { name: c.name, type: c.type },
);
const rows = [
  { mass: 3800, island: 'Dream', sex: 'female', bill: 39.5 },
  { mass: null, island: 'Biscoe', sex: 'male', bill: null },
  { island: '', sex: null, bill: 50.1 },
];

/** `outputs` of a graph `build` makes on the interpreter with the model's parameters and `feeds`. */
function reference(
  vae: VAE,
  params: Record<string, HostTensor>,
  feeds: Record<string, HostTensor>,
  build: (g: Graph, p: Record<string, Tensor>, noise: (prefix: string) => GraphNoise) => Tensor,
  keys: Record<string, ReturnType<typeof key>> = {},
): Float32Array {
  const g = new Graph();
  const inputs = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, g.input(k, t.shape)]));
  const noises: Record<string, GraphNoise> = {};
  const noise = (prefix: string) => (noises[prefix] ??= new GraphNoise(g, prefix));
  const out = build(g, { ...vae.paramInputs(g), ...inputs }, noise);
  const drawn = Object.entries(noises).map(([p, n]) => n.feeds(keys[p]!));
  const [v] = interpret(g, [out], Object.assign({ ...params, ...feeds }, ...drawn));
  return v!.data as Float32Array;
}

const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });

/** Numbers equal to float32 rounding, names exactly. */
function expectRows(got: TabularRow[], want: TabularRow[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, i) => {
    expect(Object.keys(row)).toEqual(columns.map((c) => c.name));
    for (const c of columns) {
      const [a, b] = [row[c.name], want[i]![c.name]];
      if (typeof b === 'number')
        expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(1e-4 * Math.abs(b) + 1e-3);
      else expect(a).toBe(b);
    }
  });
}

describe.each([
  ['standard normal', undefined],
  ['MoG', { type: 'mog' as const, components: 3 }],
])('tabular rows through infer-web (%s prior)', (_label, prior) => {
  const vae = tabularVAE(modelColumns, { latent: 3, hidden: [8], ...(prior ? { prior } : {}) });
  const params = vae.init(key(5));
  const L = vae.spec.latent;

  it('sampleRows equals prior -> decoder -> p(x|z) draw with the same keys (vae sample --csv)', async () => {
    const model = await loadModel((await createBundle(vae, params, { tabular: columns })).files);
    const n = 40;
    const got = await model.sampleRows(n, 9);
    const k = key(9);
    const features = reference(
      vae,
      params,
      prior ? {} : { z: f32([n, L], normal(fold(k, 0), n * L)) },
      (g, p, noise) => {
        const z = prior ? vae.prior(p, g).sample(noise('prior'), [n]) : p.z!;
        return vae.decode(p, z).sample(noise('data'));
      },
      { prior: fold(k, 0), data: fold(k, 1) },
    );
    expectRows(got, rowsFromFeatures(columns, features));
    expect(new Set(got.map((r) => r.island)).size).toBeGreaterThan(1); // draws, not one mode
    expect(await model.sampleRows(n, 9)).toEqual(got);
    expect(await model.sampleRows(n, 10)).not.toEqual(got);
    await model.dispose();
  });

  it('reconstructRows and imputeRows equal the posterior mean decoded and vae impute', async () => {
    const model = await loadModel((await createBundle(vae, params, { tabular: columns })).files);
    const { featuresFromRows } = await import('@vae/core');
    const { n, x, mask } = featuresFromRows(columns, rows);
    const feeds = { x: f32([n, 6], x), mask: f32([n, 4], mask) };
    const posteriorMean = reference(
      vae,
      params,
      feeds,
      (_g, p) => vae.decode(p, vae.encodeMoments(p, { x: p.x!, mask: p.mask! }).loc).mean,
    );
    expectRows(await model.reconstructRows(rows), rowsFromFeatures(columns, posteriorMean));
    // vae impute's graph (train-node's buildImputeGraph), one batch keyed fold(key(seed), 0).
    const K = 50;
    const weighted = reference(
      vae,
      params,
      feeds,
      (g, p, noise) => {
        const batch = { x: p.x!, mask: p.mask! };
        const q = vae.encode(p, batch);
        const z = q.rsample(noise('noise'), [K]);
        const lik = vae.decode(p, z, { mask: p.mask! });
        const logw = lik.logProb(p.x!).add(vae.prior(p, g).logProb(z)).sub(q.logProb(z));
        return lik.mean.mul(logw.softmax(0).unsqueeze([2])).sum([0]);
      },
      { noise: fold(key(4), 0) },
    );
    const filled = await model.imputeRows(rows, { samples: K, key: 4 });
    const want = rowsFromFeatures(columns, weighted).map((r, i) =>
      Object.fromEntries(
        columns.map((c) => [c.name, rows[i]![c.name as keyof (typeof rows)[0]] || r[c.name]!]),
      ),
    );
    expectRows(filled, want as TabularRow[]);
    expect(filled[0]).toEqual(rows[0]); // a complete row comes back as given
    const meanFilled = await model.imputeRows(rows, { samples: 0 });
    expectRows(
      meanFilled,
      rowsFromFeatures(columns, posteriorMean).map((r, i) =>
        Object.fromEntries(
          columns.map((c) => [c.name, rows[i]![c.name as keyof (typeof rows)[0]] || r[c.name]!]),
        ),
      ) as TabularRow[],
    );
    await model.dispose();
  });
});

describe('tabular row errors', () => {
  const vae = tabularVAE(modelColumns, { latent: 2, hidden: [4] });
  const params = vae.init(key(1));

  it('names a bad row: unknown column or category, a non-number, a bad sample count', async () => {
    const model = await loadModel((await createBundle(vae, params, { tabular: columns })).files);
    const fails = async (p: Promise<unknown>, reason: string, text: RegExp) => {
      const e = await p.catch((err: unknown) => err);
      expect(e).toBeInstanceOf(InferError);
      expect(e).toMatchObject({ reason, message: expect.stringMatching(text) });
    };
    await fails(model.reconstructRows([{ wings: 2 }]), 'input', /row 0: unknown column "wings"/);
    await fails(
      model.imputeRows([rows[0]!, { island: 'Atlantis' }]),
      'input',
      /row 1, column "island": "Atlantis" is not one of "Biscoe", "Dream", "Torgersen"/,
    );
    await fails(
      model.reconstructRows([{ mass: '3800' }]),
      'input',
      /column "mass": "3800" is not a finite number/,
    );
    await fails(model.reconstructRows([]), 'input', /non-empty array/);
    await fails(model.imputeRows(rows, { samples: -1 }), 'input', /samples must be a non-negative integer/);
    await fails(model.sampleRows(0, 1), 'input', /n must be a positive integer/);
    await model.dispose();
  });

  it('refuses picture bundles, and tabular bundles exported without their column schema', async () => {
    const image = mlpVAE({ inputSize: 12, hidden: [4], latent: 2 });
    const pictures = await loadModel((await createBundle(image, image.init(key(0)))).files);
    await expect(pictures.sampleRows(2, 1)).rejects.toMatchObject({
      reason: 'input',
      message: expect.stringMatching(/sampleRows needs a tabular bundle; this one models vector data/),
    });
    await pictures.dispose();
    const old = await loadModel((await createBundle(vae, params)).files);
    await expect(old.imputeRows(rows)).rejects.toMatchObject({
      reason: 'unsupported',
      path: 'data.tabular',
      message: expect.stringMatching(/no column schema .* re-export it with `vae export --force`/),
    });
    await old.dispose();
  });
});
