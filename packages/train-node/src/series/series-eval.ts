import type { EvalReport } from '../eval/evaluate';
import type { RunConfig } from '../run/run-dir';

// `vae eval` on a series run: the per-window figures again per time step. A window's bound covers
// its W steps, so nats per step = nats per window / W (windows overlap when --stride < --window:
// this is the mean over windows, not the NLL of the period as one sequence).

/** What `vae eval` adds for a series run (nats per time step, on the standardised scale). */
export interface SeriesEvalFields {
  readonly columns: readonly string[];
  readonly window: number;
  readonly stride: number;
  /** What the per-step nats are of. */
  readonly units: string;
  readonly elbo_per_step: number;
  readonly nll_iw_per_step: number | null;
  readonly recon_per_step: number;
  readonly kl_per_step: number;
  /**
   * sum_c log std_c of the training period: added to a per-step NLL it gives the NLL per step in
   * the CSV's own units (a density on x = mean + std * z).
   */
  readonly data_units_offset_per_step: number;
}

/** The `series` field of a series run's eval report, or nothing for other runs. */
export function seriesEvalFields(config: RunConfig, r: EvalReport): { series?: SeriesEvalFields } {
  const s = config.recipe.series;
  const std = (config.extra?.series as { std?: number[] } | undefined)?.std;
  if (!s || !std) return {};
  const w = s.window;
  return {
    series: {
      columns: s.columns,
      window: w,
      stride: s.stride,
      units: 'nats per time step, summed over the columns, standardised with the training period',
      elbo_per_step: r.elbo / w,
      nll_iw_per_step: r.nll_iw === null ? null : r.nll_iw / w,
      recon_per_step: r.recon / w,
      kl_per_step: r.kl / w,
      data_units_offset_per_step: std.reduce((a, v) => a + Math.log(v), 0),
    },
  };
}
