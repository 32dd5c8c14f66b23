import { formatShape } from '../ir/shape';
import { outputShape } from '../layers/shapes';
import { conditionWidth } from './conditioning';
import { checkDenoise } from './corruption';
import { likelihoodParamShape } from './likelihood';
import { type AESpec, ModelSpecError, type VAESpec } from './spec';
import { tabularInputSize } from './tabular-likelihood';

/** Data shape as the encoder sees it (condition channels/features and tabular mask included). */
function encoderInputShape(spec: VAESpec | AESpec): number[] {
  const shape = [...spec.dataShape];
  if (spec.likelihood.type === 'tabular') shape[0] = shape[0]! + spec.likelihood.columns.length;
  if (spec.kind === 'vae' && spec.condition) shape[0] = shape[0]! + conditionWidth(spec.condition);
  return shape;
}

const same = (a: readonly (number | string)[], b: readonly number[]) => formatShape(a) === formatShape(b);

/** Checks that the encoder, decoder, likelihood and data shapes fit together; errors name the part. */
export function validateModelSpec(spec: VAESpec | AESpec): void {
  const { dataShape, latent } = spec;
  if (
    !(dataShape.length >= 1 && dataShape.length <= 3) ||
    !dataShape.every((d) => Number.isInteger(d) && d > 0)
  ) {
    throw new ModelSpecError(
      `dataShape must be [features], [channels, length] or [channels, height, width], got [${dataShape}]`,
    );
  }
  if (!(Number.isInteger(latent) && latent >= 1))
    throw new ModelSpecError(`latent must be a positive integer, got ${latent}`);
  if (spec.likelihood.type === 'sequence-categorical' || (spec.kind === 'vae' && spec.text))
    throw new ModelSpecError(
      'a sequence-categorical likelihood is a text model: build it with textVAE or modelFromSpec',
    );
  if (spec.denoise) checkDenoise(spec.denoise, spec.likelihood);
  if (spec.likelihood.type === 'tabular') {
    const f = tabularInputSize(spec.likelihood.columns);
    if (dataShape.length !== 1 || dataShape[0] !== f) {
      throw new ModelSpecError(
        `tabular dataShape must be [${f}] (the encoded width of the columns), got [${dataShape}]`,
      );
    }
  }
  const encOut = outputShape(spec.encoder, ['N', ...encoderInputShape(spec)], 'enc');
  const wantEnc = spec.kind === 'vae' ? 2 * latent : latent;
  if (!same(encOut, ['N' as unknown as number, wantEnc])) {
    throw new ModelSpecError(
      `encoder must output [N, ${wantEnc}]${spec.kind === 'vae' ? ' (mean and log-variance)' : ''}, got ${formatShape(encOut)}`,
    );
  }
  const zWidth = latent + (spec.kind === 'vae' && spec.condition ? conditionWidth(spec.condition) : 0);
  const decOut = outputShape(spec.decoder, ['N', zWidth], 'dec');
  const want = likelihoodParamShape(spec.likelihood, dataShape);
  if (!same(decOut.slice(1), want)) {
    throw new ModelSpecError(
      `decoder must output [N, ${want.join(', ')}] for a ${spec.likelihood.type} likelihood, got ${formatShape(decOut)}`,
    );
  }
}

export function validateVAE(spec: VAESpec): void {
  if (spec.condition && !(Number.isInteger(spec.condition.size) && spec.condition.size >= 1)) {
    throw new ModelSpecError(`condition.size must be a positive integer, got ${spec.condition.size}`);
  }
  if (spec.condition && spec.prior.type === 'vamp')
    throw new ModelSpecError(
      'a VampPrior needs an unconditional encoder; use mog or standard-normal with a condition',
    );
  validateModelSpec(spec);
}
