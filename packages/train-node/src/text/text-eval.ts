import type { HostTensor } from '@vae/core';
import type { EvalReport } from '../eval/evaluate';
import type { RunConfig } from '../run/run-dir';

// `vae eval` on a text run: the per-sequence nats again per character. A sequence's real positions
// are its characters and its EOS (what the likelihood scores; padding never counts), so bits per
// character = total nats / total positions / ln 2 = mean nats / mean positions / ln 2.

/** What `vae eval` adds for a text run. */
export interface TextEvalFields {
  /** The latent-free language model (its bound is exact: KL 0, ELBO = NLL). */
  readonly lm: boolean;
  /** Mean real positions per sequence: characters + EOS. */
  readonly positions_per_sequence: number;
  /** Importance-sampled NLL per position, in bits (null without --iw). */
  readonly bits_per_char: number | null;
  /** The -ELBO per position, in bits. */
  readonly elbo_bits_per_char: number;
  readonly units: string;
}

/** Mean count of real positions (ids > 0) per row of float32 ids [n, L]. */
export function meanPositions(x: HostTensor): number {
  const ids = x.data as Float32Array;
  const n = x.shape[0]!;
  let real = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i]! > 0) real++;
  return real / Math.max(n, 1);
}

/** The `text` field of a text run's eval report (for ids `x` of the split evaluated), or nothing. */
export function textEvalFields(config: RunConfig, r: EvalReport, x: HostTensor): { text?: TextEvalFields } {
  const t = config.recipe.text;
  if (!t) return {};
  const positions = meanPositions(x);
  const bits = (nats: number) => nats / positions / Math.LN2;
  return {
    text: {
      lm: t.lm,
      positions_per_sequence: positions,
      bits_per_char: r.nll_iw === null ? null : bits(r.nll_iw),
      elbo_bits_per_char: bits(r.elbo),
      units: 'nats per sequence (characters + EOS); bits per character over the same positions',
    },
  };
}
