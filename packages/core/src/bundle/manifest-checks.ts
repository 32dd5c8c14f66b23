import { BundleError } from './errors';
import type { BundleGraphInfo, BundleManifest } from './manifest';
import { checkSequences } from './sequence-checks';
import { checkTabular } from './tabular-checks';

const prod = (xs: readonly number[]) => xs.reduce((p, d) => p * d, 1);

function fail(reason: 'shape' | 'latent-mismatch' | 'malformed', path: string, what: string): never {
  throw new BundleError(reason, `manifest.json: ${path}: ${what}`, path);
}

/** Width of one tabular column's encoded features and of its likelihood parameters. */
const colWidth = (c: { type: string; categories?: number }) => (c.type === 'categorical' ? c.categories! : 1);
const colParams = (c: { type: string; categories?: number }) =>
  c.type === 'categorical' ? c.categories! : c.type === 'continuous' ? 2 : 1;

function tensor(g: BundleGraphInfo, role: 'encoder' | 'decoder', dir: 'inputs' | 'outputs', n: string) {
  const i = g[dir].findIndex((t) => t.name === n);
  if (i < 0) fail('malformed', `${role}.${dir}`, `needs a tensor named "${n}"`);
  return { t: g[dir][i]!, path: `${role}.${dir}[${i}]` };
}

function lastDim(role: 'encoder' | 'decoder', dir: 'inputs' | 'outputs', g: BundleGraphInfo, n: string) {
  const { t, path } = tensor(g, role, dir, n);
  if (t.shape.length < 2) fail('shape', `${path}.shape`, `${n} must be [N, ...], got [${t.shape}]`);
  return { dim: t.shape[t.shape.length - 1], t, path };
}

function checkPrior(m: BundleManifest): void {
  const p = m.prior;
  if (p.type === 'standard-normal') return;
  const k = p.components;
  if (p.weights.length !== k)
    fail('shape', 'prior.weights', `has ${p.weights.length} entries for ${k} components`);
  const sum = p.weights.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-4) fail('shape', 'prior.weights', `must sum to 1, sum to ${sum}`);
  for (const field of ['means', 'scales'] as const) {
    const rows = p[field];
    if (rows.length !== k) fail('shape', `prior.${field}`, `has ${rows.length} rows for ${k} components`);
    rows.forEach((r, i) => {
      if (r.length !== m.latent)
        fail('latent-mismatch', `prior.${field}[${i}]`, `has ${r.length} entries, latent is ${m.latent}`);
    });
  }
}

function checkData(m: BundleManifest): void {
  const d = m.data;
  const features = prod(d.shape);
  if (d.image && d.image.channels * d.image.height * d.image.width !== features)
    fail(
      'shape',
      'data.image',
      `${d.image.channels}x${d.image.height}x${d.image.width} is not ${features} features`,
    );
  if (d.scaling.type === 'standardize')
    for (const f of ['mean', 'std'] as const)
      if (d.scaling[f].length !== features)
        fail('shape', `data.scaling.${f}`, `has ${d.scaling[f].length} entries for ${features} features`);
  if (d.scaling.type === 'unit' && !(d.scaling.max > d.scaling.min))
    fail('shape', 'data.scaling', `max (${d.scaling.max}) must exceed min (${d.scaling.min})`);
  const lik = m.likelihood;
  if (lik.type === 'gaussian' && Array.isArray(lik.logScale) && lik.logScale.length !== features)
    fail('shape', 'likelihood.logScale', `has ${lik.logScale.length} entries for ${features} features`);
  if (lik.type === 'tabular') {
    const w = lik.columns.reduce((s, c) => s + colWidth(c), 0);
    if (d.shape.length !== 1 || d.shape[0] !== w)
      fail('shape', 'data.shape', `tabular columns encode ${w} features, data.shape is [${d.shape}]`);
  }
}

/** Expected per-example decoder output shape for the likelihood. */
function paramShape(m: BundleManifest): number[] {
  const lik = m.likelihood;
  if (lik.type === 'discretized-logistic') return [2 * m.data.shape[0]!, ...m.data.shape.slice(1)];
  if (lik.type === 'tabular') return [lik.columns.reduce((s, c) => s + colParams(c), 0)];
  if (lik.type === 'sequence-categorical') return m.data.shape; // ids [N, L]
  return m.data.shape;
}

function checkGraphs(m: BundleManifest): void {
  for (const out of ['loc', 'scale']) {
    const { dim, path } = lastDim('encoder', 'outputs', m.encoder, out);
    if (dim !== m.latent)
      fail('latent-mismatch', `${path}.shape`, `${out} has width ${dim}, latent is ${m.latent}`);
  }
  const z = lastDim('decoder', 'inputs', m.decoder, 'z');
  if (z.dim !== m.latent)
    fail('latent-mismatch', `${z.path}.shape`, `z has width ${z.dim}, latent is ${m.latent}`);
  const x = tensor(m.encoder, 'encoder', 'inputs', 'x');
  if (x.t.shape.slice(1).join() !== m.data.shape.join())
    fail('shape', `${x.path}.shape`, `x is [${x.t.shape}], data.shape is [${m.data.shape}]`);
  const outName = m.likelihood.type === 'sequence-categorical' ? 'ids' : 'params';
  const out = tensor(m.decoder, 'decoder', 'outputs', outName);
  const want = paramShape(m);
  if (out.t.shape.slice(1).join() !== want.join())
    fail(
      'shape',
      `${out.path}.shape`,
      `${outName} is [${out.t.shape}], the ${m.likelihood.type} likelihood needs [N,${want}]`,
    );
  if (m.condition) {
    for (const role of ['encoder', 'decoder'] as const) {
      const c = lastDim(role, 'inputs', m[role], 'c');
      if (c.dim !== m.condition.size)
        fail('shape', `${c.path}.shape`, `c has width ${c.dim}, condition.size is ${m.condition.size}`);
    }
    const labels = m.condition.labels;
    if (labels && labels.length !== m.condition.size)
      fail('shape', 'condition.labels', `has ${labels.length} names for size ${m.condition.size}`);
  }
}

function checkFiles(m: BundleManifest): void {
  const listed = (file: string, path: string) => {
    if (!Object.hasOwn(m.files, file)) fail('malformed', path, `file ${file} is not listed in files`);
  };
  listed(m.encoder.file, 'encoder.file');
  listed(m.decoder.file, 'decoder.file');
  for (const [role, g] of Object.entries(m.graphs)) if (g) listed(g.file, `graphs.${role}.file`);
  const mixture = m.prior.type !== 'standard-normal';
  if (mixture !== !!m.graphs.priorSample)
    fail(
      'malformed',
      'graphs.priorSample',
      mixture ? `a ${m.prior.type} prior needs its sampling graph` : 'only mixture priors have one',
    );
  const basis = m.latentMap?.basis;
  if (basis && [basis.mean, ...basis.axes].some((a) => a.length !== m.latent))
    fail('latent-mismatch', 'latentMap.basis', `mean and axes must each have ${m.latent} entries`);
  if (m.latentMap) {
    listed(m.latentMap.file, 'latentMap.file');
    const want = m.latentMap.n * (8 + (m.latentMap.labels ? 4 : 0));
    const got = m.files[m.latentMap.file]!.bytes;
    if (got !== want)
      fail('shape', 'latentMap', `${m.latentMap.n} points need ${want} bytes, the file has ${got}`);
  }
}

/** The test-score summary fits together: sorted quantiles, increasing edges, counts summing to n. */
function checkTestScores(m: BundleManifest): void {
  const t = m.testScores;
  if (!t) return;
  const q = t.quantiles;
  const i = q.findIndex((v, j) => j > 0 && v < q[j - 1]!);
  if (i > 0) fail('shape', `testScores.quantiles[${i}]`, `${q[i]} is below the previous ${q[i - 1]}`);
  const { edges, counts } = t.histogram;
  if (edges.length !== counts.length + 1)
    fail(
      'shape',
      'testScores.histogram',
      `${counts.length} bins need ${counts.length + 1} edges, got ${edges.length}`,
    );
  const e = edges.findIndex((v, j) => j > 0 && !(v > edges[j - 1]!));
  if (e > 0) fail('shape', `testScores.histogram.edges[${e}]`, 'edges must increase');
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== t.n) fail('shape', 'testScores.histogram.counts', `sum to ${total}, n is ${t.n}`);
}

/** Cross-field checks of a structurally valid manifest. @throws BundleError */
export function checkConsistency(m: BundleManifest): void {
  checkPrior(m);
  checkData(m);
  checkTabular(m);
  checkSequences(m);
  checkGraphs(m);
  checkFiles(m);
  checkTestScores(m);
}
