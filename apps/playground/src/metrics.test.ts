import type { BundleManifest } from '@vae/infer-web';
import { describe, expect, it } from 'vitest';
import { bitsPerDim, metricFacts, scoreText } from './metrics';

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
});
