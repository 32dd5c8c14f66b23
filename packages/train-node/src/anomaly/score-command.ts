import type { SplitInputs } from '@vae/core';
import { EVAL_SEED, fold, key, TrainConfigError } from '@vae/core';
import { OrtBackend } from '../backend/ort-backend';
import { dataConvention } from '../eval/bits-per-dim';
import { type LoadedRun, loadRun } from '../run/run-dir';
import { type AnomalyReport, anomalyReport } from './anomaly-report';
import { anomalyLabelsFor, loadScoreData, normalValidation } from './score-data';
import type { ScoreParts } from './score-methods';
import { planScore, type ScoreCommandOptions, type ScorePlan } from './score-options';
import { joinParts, type PartsBlock, type PartsPlan, scorePartBlocks } from './score-parts';
import { isCombination, partScales, type ScoreUnit, specScores, specUnit } from './score-specs';
import { openScoreWriter, scoreFormat } from './score-writer';

export type { ScoreCommandOptions } from './score-options';

/** What `vae score` prints (one JSON object). */
export interface ScoreResult {
  readonly out: string;
  readonly format: 'csv' | 'npy';
  /** The table's columns, in order (an `.npy` is [n, columns.length] float64). */
  readonly columns: readonly string[];
  readonly n: number;
  readonly dataset: string;
  readonly split: string;
  /** The primary score (the `score` column: a method, or a combination such as `elbo+regret`) and its unit. */
  readonly score: string;
  readonly unit: ScoreUnit;
  readonly iw: number;
  /** With `--normal-class` / `--anomaly-labels`. */
  readonly report?: AnomalyReport;
}

/** The background run of `ratio`, checked to score the same inputs the same way. */
function loadBackground(run: LoadedRun, dir: string): LoadedRun {
  const bg = loadRun(dir);
  const a = run.config.data;
  const b = bg.config.data;
  const same =
    JSON.stringify(a.shape) === JSON.stringify(b.shape) &&
    a.binarize === b.binarize &&
    (a.dequantize ?? false) === (b.dequantize ?? false) &&
    a.scale === b.scale &&
    (run.vae.spec.condition?.size ?? 0) === (bg.vae.spec.condition?.size ?? 0);
  if (!same)
    throw new TrainConfigError(
      `--background ${dir} must model the same inputs as ${run.dir} (data shape, binarisation, dequantisation, scale, condition); it does not`,
    );
  if (
    JSON.stringify(dataConvention(bg.vae.spec.likelihood.type, b)) !==
    JSON.stringify(dataConvention(run.vae.spec.likelihood.type, a))
  )
    throw new TrainConfigError(`--background ${dir}: its likelihood's figures are not on ${run.dir}'s scale`);
  return bg;
}

/** The optional part columns, in table order (the ELBO parts always come first). */
const EXTRA_ORDER = ['nll_iw', 'latent_nll', 'complexity_bits', 'bg_nll', 'regret'] as const;

/** Parts of every example of `inputs` (noise from `seed`), blocks handed to `each` as they come. */
async function allParts(
  p: PartsPlan,
  inputs: SplitInputs,
  seed: number,
  each?: (b: PartsBlock) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<ScoreParts> {
  const blocks: PartsBlock[] = [];
  for await (const b of scorePartBlocks(p, inputs, fold(key(EVAL_SEED), seed), onProgress)) {
    each?.(b);
    blocks.push(b);
  }
  return joinParts(blocks);
}

/**
 * `vae score`: one anomaly score per example of a split (higher = more anomalous) with its parts,
 * written to `--out` as it is computed; with `--normal-class` or `--anomaly-labels`, AUROC and
 * AUPRC of every `--score` method, the ROC plot (SVG) and a threshold chosen on normal validation
 * data at `--fpr` false alarms, with its TPR/FPR on the scored split.
 */
export async function scoreCommand(o: ScoreCommandOptions): Promise<ScoreResult> {
  const plan: ScorePlan = planScore(o);
  const run = loadRun(o.run);
  // Series runs are scored per time step, by series/series-score.ts (`vae score` dispatches there).
  if (run.config.recipe.series)
    throw new TrainConfigError(`${o.run} is a series run: score it with seriesScoreCommand (per time step)`);
  const background = o.background === undefined ? null : loadBackground(run, o.background);
  const scored = await loadScoreData(run, plan.split, o.dataset, o.limit);
  const labelled = plan.report ? anomalyLabelsFor(scored, o) : null;
  const conv = dataConvention(run.vae.spec.likelihood.type, scored.info);
  const backend = new OrtBackend({ threads: o.threads });
  const parts: PartsPlan = {
    backend,
    run,
    background,
    iw: plan.iw,
    needs: plan.needs,
    info: scored.info,
    offsetNats: conv?.offsetNats ?? 0,
    ...(o.regretSteps !== undefined ? { regret: { steps: o.regretSteps } } : {}),
  };
  const primary = plan.methods[0]!;
  // The normal validation examples: where the threshold is chosen and combinations are standardised.
  const combined = plan.methods.find(isCombination);
  const val =
    combined || labelled
      ? await normalValidation(run, labelled?.normalId ?? null, o.dataset !== undefined)
      : { inputs: null };
  if (combined && !val.inputs)
    throw new TrainConfigError(
      `--score ${combined.name} standardises each part on normal validation examples, and there are none: ${val.note}`,
    );
  // Computed before the pass when a combination needs their scales, else after it (report only).
  let valParts: ScoreParts | null = combined && val.inputs ? await allParts(parts, val.inputs, 12) : null;
  const scales = plan.methods.map((m) => (valParts ? partScales(m, valParts) : []));
  const partColumns: (keyof ScoreParts)[] = [
    'neg_elbo',
    'recon',
    'kl',
    ...EXTRA_ORDER.filter((c) => (c === 'nll_iw' ? plan.iw > 0 : plan.needs.has(c))),
  ];
  const columns = ['index', 'label', ...(labelled ? ['anomaly'] : []), 'score', ...partColumns];
  const writer = openScoreWriter(o.out, columns, scored.n);
  try {
    const write = (b: PartsBlock) => {
      const size = b.to - b.from;
      const label = scored.classLabels;
      writer.write([
        Float64Array.from({ length: size }, (_, i) => b.from + i),
        Float64Array.from({ length: size }, (_, i) => label?.[b.from + i] ?? Number.NaN),
        ...(labelled ? [labelled.labels.subarray(b.from, b.to)] : []),
        specScores(primary, b.parts, size, scales[0]!),
        ...partColumns.map((c) => b.parts[c]!),
      ]);
    };
    const all = await allParts(parts, scored.inputs, 11, write, o.onProgress);
    writer.close();
    let report: AnomalyReport | undefined;
    if (labelled) {
      if (!valParts && val.inputs) valParts = await allParts(parts, val.inputs, 12);
      report = await anomalyReport({
        methods: plan.methods,
        scales,
        parts: all,
        labels: labelled.labels,
        normal: labelled.normal,
        valParts,
        ...(val.note ? { valNote: val.note } : {}),
        fpr: plan.fpr,
        rocPath: plan.rocPath,
      });
    }
    return {
      out: o.out,
      format: scoreFormat(o.out),
      columns,
      n: scored.n,
      dataset: scored.dataset,
      split: plan.split,
      score: primary.name,
      unit: specUnit(primary),
      iw: plan.iw,
      ...(report ? { report } : {}),
    };
  } catch (e) {
    writer.abort();
    throw e;
  } finally {
    await backend.dispose();
  }
}
