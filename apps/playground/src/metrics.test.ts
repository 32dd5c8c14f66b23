import type { BundleManifest } from '@vae/infer-web';
import { describe, expect, it } from 'vitest';
import { bitsPerDim, metricFacts, percentileText, scoreSettings, scoreText } from './metrics';

/** Only the fields the metrics read. */
function manifest(
  likelihood: string,
  binarized: boolean,
  metrics: Record<string, number>,
  kind = 'image',
): BundleManifest {
  return {
    likelihood: { type: likelihood },
    data: { shape: [784], kind, binarized },
    metrics,
  } as unknown as BundleManifest;
}

describe('honest figures', () => {
  it('gives bits/dim for binarised Bernoulli and discretised-logistic images only', () => {
    expect(bitsPerDim(manifest('bernoulli', true, {}), 784 * Math.LN2)).toBeCloseTo(1, 12);
    expect(bitsPerDim(manifest('discretized-logistic', false, {}), 784 * Math.LN2 * 3)).toBeCloseTo(3, 12);
    expect(bitsPerDim(manifest('bernoulli', false, {}), 100)).toBeNull();
    expect(bitsPerDim(manifest('gaussian', false, {}), 100)).toBeNull();
    expect(bitsPerDim(manifest('tabular', false, {}, 'tabular'), 100)).toBeNull();
  });

  it('labels test_elbo as −ELBO in nats per example', () => {
    const m = manifest('bernoulli', true, { test_elbo: 160.0978, val_elbo: 157.7, epochs: 2 });
    expect(metricFacts(m)).toEqual(['test −ELBO 160.1 nats/example (0.295 bits/dim)', '2 epochs']);
    expect(metricFacts(manifest('gaussian', false, { test_elbo: 10982.73 }))).toEqual([
      'test −ELBO 10982.7 nats/example',
    ]);
  });

  it('puts a score next to the test-set average', () => {
    const m = manifest('bernoulli', true, { test_elbo: 100 });
    const s = scoreText(m, 150, 64);
    expect(s.score).toBe('−log p(x) ≈ 150.0 nats (0.276 bits/dim), k = 64');
    expect(s.context).toMatch(/average −ELBO 100\.0 nats.*1\.50× that.*Higher means less like/);
    expect(scoreText(manifest('gaussian', false, {}), -5, 8).context).toMatch(/no test-set figure/);
  });

  it("places a score among the bundle's test scores, and scores with their k and seed", () => {
    const m = manifest('bernoulli', true, { test_elbo: 100 });
    expect(scoreSettings(m)).toEqual({ k: 64, seed: 7 });
    // Test scores 100..200 evenly: 197 is above 97% of them.
    const testScores = {
      measure: 'iwae',
      k: 32,
      seed: 3,
      n: 2000,
      split: 'test',
      quantiles: Array.from({ length: 101 }, (_, i) => 100 + i),
      histogram: { edges: [100, 200], counts: [2000] },
    } as const;
    const withScores = { ...m, testScores } as unknown as BundleManifest;
    expect(scoreSettings(withScores)).toEqual({ k: 32, seed: 3 });
    const s = scoreText(withScores, 197.5, 32);
    expect(s.score).toBe('−log p(x) ≈ 197.5 nats (0.363 bits/dim), k = 32');
    expect(s.context).toMatch(
      /^Higher than 97% of test images: unusual for this model \(the first 2000 test images/,
    );
  });

  it('says a percentile in words without overstating it', () => {
    expect(percentileText(97.9, 2000)).toBe('higher than 97% of test images: unusual for this model');
    expect(percentileText(99.2, 2000)).toBe('higher than 99% of test images: very unusual for this model');
    expect(percentileText(85, 2000)).toBe('higher than 85% of test images: a little unusual for this model');
    expect(percentileText(60, 2000)).toBe('higher than 60% of test images: typical for this model');
    expect(percentileText(12.5, 2000)).toBe('lower than 87% of test images: typical for this model');
    expect(percentileText(100, 2000)).toBe('higher than all 2000 test images: very unusual for this model');
    expect(percentileText(0, 500)).toBe('lower than all 500 test images: very typical for this model');
  });
});
