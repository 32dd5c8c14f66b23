import { Bernoulli } from '../distributions/bernoulli';
import { ContinuousBernoulli } from '../distributions/continuous-bernoulli';
import { DiscretizedLogistic } from '../distributions/discretized-logistic';
import type { Distribution } from '../distributions/distribution';
import { Normal } from '../distributions/normal';
import { SequenceCategorical } from '../distributions/sequence-categorical';
import type { Tensor } from '../ir/tensor';
import { type LikelihoodSpec, ModelSpecError } from './spec';
import { TabularLikelihood, tabularOutputSize } from './tabular-likelihood';

/** Shape of the decoder output the likelihood expects, per example. */
export function likelihoodParamShape(spec: LikelihoodSpec, dataShape: readonly number[]): number[] {
  switch (spec.type) {
    case 'discretized-logistic':
      return [dataShape[0]! * 2, ...dataShape.slice(1)];
    case 'tabular':
      return [tabularOutputSize(spec.columns)];
    case 'sequence-categorical':
      return [dataShape[0]!, spec.vocab];
    default:
      return [...dataShape];
  }
}

/** Parameters the likelihood owns (a learned Gaussian scale), by name. */
export function likelihoodParamShapes(
  spec: LikelihoodSpec,
  dataShape: readonly number[],
): Record<string, number[]> {
  if (spec.type !== 'gaussian' || typeof spec.scale === 'number') return {};
  // A shared scale is one value, broadcast over the features.
  return { 'lik.logScale': spec.scale === 'learned' ? [...dataShape] : [1] };
}

/**
 * p(x|z) from the decoder output `out` ([...batch, ...paramShape]): an event-shaped distribution
 * over one example (`toEvent(dataRank)`), so logProb gives nats per example. `mask`: the tabular
 * missing-value mask, or a text model's sequence mask (1 = a real position).
 */
export function likelihoodFrom(
  spec: LikelihoodSpec,
  dataShape: readonly number[],
  out: Tensor,
  params: Readonly<Record<string, Tensor>>,
  mask?: Tensor,
): Distribution {
  const r = dataShape.length;
  switch (spec.type) {
    case 'bernoulli':
      return new Bernoulli(out).toEvent(r);
    case 'continuous-bernoulli':
      return new ContinuousBernoulli(out).toEvent(r);
    case 'gaussian': {
      const scale = typeof spec.scale === 'number' ? spec.scale : params['lik.logScale']!.exp();
      if (typeof scale === 'number' && !(scale > 0))
        throw new ModelSpecError(`gaussian likelihood: scale must be > 0, got ${scale}`);
      return new Normal(out, scale).toEvent(r);
    }
    case 'discretized-logistic': {
      const axis = out.rank - r;
      const c = dataShape[0]!;
      const loc = out.slice([0], [c], [axis]);
      const logScale = out.slice([c], [2 * c], [axis]);
      return DiscretizedLogistic.fromLogScale(loc, logScale).toEvent(r);
    }
    case 'tabular':
      return new TabularLikelihood(spec.columns, out, mask);
    case 'sequence-categorical':
      return new SequenceCategorical(out, mask);
  }
}
