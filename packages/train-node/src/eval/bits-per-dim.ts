import type { DataInfo } from '../run/run-dir';

// Honest NLL on 8-bit data. A continuous density p_y on pixels dequantised to y = (k + u) / 256,
// u ~ U[0, 1), is a density on the 0..255 pixel scale v = 256 y of p_y(y) / 256^D, and by Jensen
// E_u[-log p_v(k + u)] bounds -log P(k) of the discrete pixels from above: the per-example NLL on
// the pixel scale is the density's NLL + D ln 256. A discrete likelihood (the 256-bin discretised
// logistic; Bernoulli on binary pixels) is already a pmf: its NLL is used as is.

/** How a run's figures relate to its data (see {@link dataConvention}). */
export interface DataConvention {
  /** Values per example. */
  readonly dims: number;
  /** Nats added to every -log-likelihood figure to put it on the data's own scale. */
  readonly offsetNats: number;
  /** What the bits/dim are bits of, for the report. */
  readonly convention: string;
}

/**
 * The convention of a run's NLL: 8-bit pixels (0..255, dequantised for continuous densities, as a
 * pmf for the discretised logistic), binary pixels (Bernoulli), or null where bits/dim mean nothing
 * (a continuous density on float data, tabular rows).
 */
export function dataConvention(likelihood: string, info: DataInfo): DataConvention | null {
  const dims = info.shape.reduce((a, d) => a * d, 1);
  if (likelihood === 'bernoulli' && info.binarize !== false)
    return { dims, offsetNats: 0, convention: 'binary pixels (Bernoulli on binarised data)' };
  if (likelihood === 'discretized-logistic')
    return { dims, offsetNats: 0, convention: '8-bit pixels 0..255 (256-bin pmf)' };
  if (info.dequantize)
    return {
      dims,
      offsetNats: dims * Math.log(256),
      convention: '8-bit pixels 0..255 (density on (k + u) / 256, u ~ U[0, 1), + D ln 256)',
    };
  return null;
}

/** Nats per example to bits per dimension. */
export const bitsPerDim = (nats: number, dims: number): number => nats / (dims * Math.LN2);
