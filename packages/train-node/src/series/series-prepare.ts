import {
  ModelSpecError,
  modelFromSpec,
  seriesConvVAE,
  seriesGruVAE,
  TrainConfigError,
  type VAE,
} from '@vae/core';
import type { RunData } from '../data/run-data';
import { likelihoodSpec } from '../run/build-model';
import { recipePrior } from '../run/optim-flags';
import { asStoredDataInfo, type DataInfo, type Recipe, type RunConfig } from '../run/run-dir';
import { loadSeriesData, prepareSeries } from './series-data';

// `vae train --series`: from a recipe to the windows, the model and how windows are fed (as they
// are: standardised float32, [C, W]).

/**
 * The series VAE a recipe describes: `conv1d` (stride-2 conv1d widths `--hidden`) or `gru` (one
 * hidden size), Gaussian with the recipe's scale.
 * @throws TrainConfigError naming `--window` / `--hidden` when they do not fit
 */
export function buildSeriesModel(recipe: Recipe, channels: number): VAE {
  const window = recipe.series!.window;
  const common = {
    channels,
    window,
    latent: recipe.latent,
    likelihood: likelihoodSpec(recipe),
    prior: recipePrior(recipe),
  };
  try {
    if (recipe.model === 'gru') {
      if (recipe.hidden.length !== 1)
        throw new TrainConfigError(
          `--model gru takes one --hidden size (its GRUs' state), got ${recipe.hidden.join(',')}`,
        );
      return seriesGruVAE({ ...common, hidden: recipe.hidden[0]! });
    }
    return seriesConvVAE({ ...common, hidden: recipe.hidden });
  } catch (e) {
    if (e instanceof ModelSpecError)
      throw new TrainConfigError(`--window ${window} with --hidden ${recipe.hidden.join(',')}: ${e.message}`);
    throw e;
  }
}

/** What `prepareRun` returns (its `Prepared`, named here without importing it back). */
export interface SeriesPrepared {
  readonly recipe: Recipe;
  readonly data: RunData;
  readonly vae: VAE;
  readonly info: DataInfo;
  readonly extra: Record<string, unknown>;
}

/**
 * A series run's windows and model: a fresh run reads and windows the CSV (`--val` the validation
 * steps) and records the state in `extra.series`; a resumed one rebuilds them as saved.
 */
export async function prepareSeriesRun(
  recipe: Recipe,
  saved: RunConfig | null,
  valSteps: number | undefined,
): Promise<SeriesPrepared> {
  const s = saved ? await loadSeriesData(saved) : await prepareSeries(recipe, valSteps);
  const valCount = s.state.periods.val ? s.state.periods.val[1] - s.state.periods.val[0] : 0;
  const full: Recipe = { ...recipe, valCount };
  const vae = saved ? modelFromSpec(saved.model) : buildSeriesModel(full, s.state.columns.length);
  return {
    recipe: full,
    data: s.data,
    vae,
    info: asStoredDataInfo(vae.spec.dataShape),
    extra: { series: s.state },
  };
}
