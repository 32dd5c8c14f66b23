/**
 * A bundle's figures written honestly (DESIGN.md "Likelihoods are honest"): the manifest's
 * `test_elbo` is −ELBO in nats per example; bits per dimension only where the likelihood is a pmf
 * over the values the model sees (Bernoulli on binarised pixels, the 256-bin discretised logistic),
 * as `vae eval` reports them. A density on continuous values has no bits/dim without a
 * dequantisation offset, which the manifest does not record.
 */
import { type BundleManifest, scorePercentile } from '@vae/infer-web';

/** Values per example: the product of `data.shape`. */
export function dimsOf(m: BundleManifest): number {
  return m.data.shape.reduce((a, d) => a * d, 1);
}

/** Nats per example as bits per dimension, or null where bits/dim mean nothing for this bundle. */
export function bitsPerDim(m: BundleManifest, nats: number): number | null {
  const discrete =
    (m.likelihood.type === 'bernoulli' && m.data.binarized) || m.likelihood.type === 'discretized-logistic';
  return discrete && m.data.kind === 'image' ? nats / (dimsOf(m) * Math.LN2) : null;
}

/** `160.1 nats/example (0.295 bits/dim)`, the bits/dim part only where they apply. */
export function natsText(m: BundleManifest, nats: number, unit = 'nats/example'): string {
  const bpd = bitsPerDim(m, nats);
  return `${nats.toFixed(1)} ${unit}${bpd === null ? '' : ` (${bpd.toFixed(3)} bits/dim)`}`;
}

/** The manifest's figures for the header: test −ELBO (and its float32 figure), epochs trained. */
export function metricFacts(m: BundleManifest): string[] {
  const x = m.metrics;
  const facts: string[] = [];
  if (x.test_elbo !== undefined) facts.push(`test −ELBO ${natsText(m, x.test_elbo)}`);
  if (x.test_elbo_float32 !== undefined) facts.push(`float32 model ${x.test_elbo_float32.toFixed(1)}`);
  if (x.epochs !== undefined) facts.push(`${x.epochs} epoch${x.epochs === 1 ? '' : 's'}`);
  return facts;
}

/**
 * Importance samples and noise seed to score an example with: the bundle's test scores' own (so the
 * example and the test set are on one measure), else the page's defaults (k = 64, seed 7, what
 * `vae export` uses too).
 */
export function scoreSettings(m: BundleManifest): { k: number; seed: number } {
  return m.testScores ? { k: m.testScores.k, seed: m.testScores.seed } : { k: 64, seed: 7 };
}

/**
 * Where a score falls among `n` test examples, in words: `percent` of them score lower (0..100,
 * see `scorePercentile`). Percentages are floored for "higher than" and ceiled for "lower than",
 * so a sentence never overstates; the verdict bands are 99, 95 and 80.
 */
export function percentileText(percent: number, n: number, what = 'test images'): string {
  if (percent >= 100) return `higher than all ${n} ${what}: very unusual for this model`;
  if (percent <= 0) return `lower than all ${n} ${what}: very typical for this model`;
  if (percent < 50) return `lower than ${Math.floor(100 - percent)}% of ${what}: typical for this model`;
  const verdict =
    percent >= 99
      ? 'very unusual'
      : percent >= 95
        ? 'unusual'
        : percent >= 80
          ? 'a little unusual'
          : 'typical';
  return `higher than ${Math.floor(percent)}% of ${what}: ${verdict} for this model`;
}

/**
 * What an example's −log p(x) estimate means next to the test set: the figure, and a sentence
 * placing it among the test set's scores on the same measure (`testScores`), or else (older
 * bundles) comparing it with the test examples' average −ELBO (when the manifest has one).
 */
export function scoreText(m: BundleManifest, nats: number, k: number): { score: string; context: string } {
  const score = `−log p(x) ≈ ${natsText(m, nats, 'nats')}, k = ${k}`;
  const t = m.testScores;
  if (t) {
    const words = percentileText(scorePercentile(t, nats), t.n);
    const sentence = `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
    return {
      score,
      context: `${sentence} (the first ${t.n} test images, scored the same way). Higher means less like the training data.`,
    };
  }
  const ref = m.metrics.test_elbo;
  if (ref === undefined) return { score, context: 'The bundle records no test-set figure to compare with.' };
  const avg = `Test examples average −ELBO ${ref.toFixed(1)} nats (a slightly looser bound)`;
  // A ratio only means something between two positive figures (densities can give negative nats).
  const ratio = nats > 0 && ref > 0 ? ` This one is ${(nats / ref).toFixed(2)}× that.` : '';
  return { score, context: `${avg}.${ratio} Higher means less like the training data.` };
}
