import type { DenoiseSpec } from '@vae/core';
import { TrainConfigError } from '@vae/core';

// `vae train --denoise` and `vae denoise --noise`: an input corruption as text, `gaussian:SIGMA`,
// `mask:P` or `salt-pepper:P` (core's DenoiseSpec), and back.

const FORMS = 'gaussian:SIGMA (SIGMA > 0), mask:P or salt-pepper:P (0 < P < 1)';

/**
 * Reads `gaussian:0.5`, `mask:0.25` or `salt-pepper:0.1`.
 * @throws TrainConfigError, one line naming `flag` (e.g. `--denoise`)
 */
export function parseDenoise(text: string, flag = '--denoise'): DenoiseSpec {
  const m = /^(gaussian|mask|salt-pepper):(.+)$/.exec(text.trim());
  const v = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isFinite(v))
    throw new TrainConfigError(`${flag} must be ${FORMS}; got ${JSON.stringify(text)}`);
  const type = m[1] as DenoiseSpec['type'];
  if (type === 'gaussian') {
    if (!(v > 0))
      throw new TrainConfigError(`${flag} ${text}: SIGMA must be > 0 (the noise's standard deviation)`);
    return { type, std: v };
  }
  if (!(v > 0 && v < 1))
    throw new TrainConfigError(
      `${flag} ${text}: P must lie strictly between 0 and 1 (the share of pixels hit)`,
    );
  return { type, rate: v };
}

/** The text form, as the recipe records it: `gaussian:0.5`, `mask:0.25`, `salt-pepper:0.1`. */
export const showDenoise = (d: DenoiseSpec): string => `${d.type}:${d.type === 'gaussian' ? d.std : d.rate}`;

/**
 * The recipe's `denoise` (canonical text) for a fresh run, or nothing without the flag.
 * @throws TrainConfigError for a bad value or a tabular model (its inputs are not pixels)
 */
export function denoiseRecipe(o: { readonly denoise?: string; readonly model?: string }): {
  denoise?: string;
} {
  if (o.denoise === undefined) return {};
  const d = parseDenoise(o.denoise);
  if (o.model === 'tabular')
    throw new TrainConfigError(
      '--denoise corrupts image pixels, but tabular models see one-hot codes and standardised columns: drop --denoise',
    );
  return { denoise: showDenoise(d) };
}
