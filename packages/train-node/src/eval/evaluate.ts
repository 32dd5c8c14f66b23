import { activeUnits, type ElboPass, mean } from '@vae/core';
import { bitsPerDim, type DataConvention } from './bits-per-dim';

/**
 * The summary `vae eval` prints (per-example nats; positive numbers are -log-likelihoods). With a
 * data convention (8-bit or binary pixels), `elbo`, `recon` and `nll_iw` are on the data's own scale
 * (continuous densities on dequantised 8-bit pixels: + D ln 256, see `bits-per-dim.ts`) and
 * `bits_per_dim` is `nll_iw` / (D ln 2) (`elbo_bits_per_dim` the bound's); without one (a continuous
 * density on float data, tabular rows) they are the model's densities and bits/dim are null.
 */
export interface EvalReport {
  elbo: number;
  nll_iw: number | null;
  iw: number;
  bits_per_dim: number | null;
  elbo_bits_per_dim: number | null;
  /** What the nats and bits/dim are of (null: the model's density, no bits/dim). */
  nll_convention: string | null;
  recon: number;
  kl: number;
  active_units: number;
  kl_per_dim: number[] | null;
  n: number;
}

/** Summarises an ELBO pass (and an importance-sampled log p(x), if computed) as {@link EvalReport}. */
export function report(
  pass: ElboPass,
  latent: number,
  logpx: Float64Array | null,
  iw: number,
  conv: DataConvention | null = null,
): EvalReport {
  const off = conv?.offsetNats ?? 0;
  const elbo = -mean(pass.elbo) + off;
  const nll = logpx ? -mean(logpx) + off : null;
  return {
    elbo,
    nll_iw: nll,
    iw: logpx ? iw : 0,
    bits_per_dim: conv && nll !== null ? bitsPerDim(nll, conv.dims) : null,
    elbo_bits_per_dim: conv ? bitsPerDim(elbo, conv.dims) : null,
    nll_convention: conv?.convention ?? null,
    recon: -mean(pass.recon) + off,
    kl: mean(pass.kl),
    active_units: activeUnits(pass.loc, pass.n, latent).count,
    kl_per_dim: pass.klPerDim ? Array.from(pass.klPerDim) : null,
    n: pass.n,
  };
}
