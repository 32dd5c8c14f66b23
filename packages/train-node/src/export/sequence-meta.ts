/**
 * What `vae export` records for series and text runs, and how it feeds a text decoder for its
 * parity check: a series bundle's `data.series` (columns, windowing, the training period's
 * standardisation), a text bundle's vocabulary, and the decoding graph's greedy feeds.
 */
import type { BundleMeta, HostTensor } from '@vae/core';
import { TrainConfigError } from '@vae/core';
import type { LoadedRun } from '../run/run-dir';
import { seriesState } from '../series/series-data';
import { textStateOf } from '../text/text-data';

/** The `series` / `text` part of a bundle's meta for this run, or `null` for other runs. */
export function sequenceMeta(run: LoadedRun): Pick<BundleMeta, 'series' | 'text'> | null {
  const text = run.config.recipe.text;
  if (text) return { text: { tokens: [...textStateOf(run.config).tokens], lowercase: text.lowercase } };
  const s = seriesState(run.config);
  if (!s) return null;
  return {
    series: {
      columns: [...s.columns],
      window: s.window,
      stride: s.stride,
      mean: [...s.mean],
      std: [...s.std],
    },
  };
}

/**
 * Refuses weight storage a text bundle cannot check: fp16 and int8 exports are measured with the
 * bundle's score graph, and a text bundle ships none.
 * @throws TrainConfigError naming the flag
 */
export function checkTextStorage(run: LoadedRun, o: { fp16?: boolean; int8?: boolean }): void {
  if (run.config.recipe.text && (o.fp16 || o.int8))
    throw new TrainConfigError(
      `${o.fp16 ? '--fp16' : '--int8'} is not for text runs: their bundles ship no score graph to measure it with; export float32`,
    );
}

/**
 * The decoder's feeds besides z: a text decoder's greedy ones (u = 0.5 everywhere, temperature 0,
 * so the ids depend on z alone), nothing for other decoders.
 */
export function decoderExtraFeeds(run: LoadedRun, n: number): Record<string, HostTensor> {
  if (!run.config.recipe.text) return {};
  const spec = run.vae.spec;
  const [len, v] = [spec.dataShape[0]!, (spec.likelihood as { vocab: number }).vocab];
  return {
    u: { dtype: 'float32', shape: [n, len, v], data: new Float32Array(n * len * v).fill(0.5) },
    temperature: { dtype: 'float32', shape: [1], data: Float32Array.of(0) },
  };
}
