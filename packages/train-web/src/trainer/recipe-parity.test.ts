import { type Backend, inlineDataSource, runKeys, trainLoop } from '@vae/core';
import { Feeder } from '@vae/datasets/pure';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedDigitsBytes } from '../node';
import { OrtWebBackend } from '../ort-web-backend';
import { maxRelDiff, nodeBackend } from '../test-helpers';
import { type RunData, readTrainData } from './data';
import { buildModel, buildOptimizer, feedSpecOf } from './model';
import { checkRecipe, type Recipe, stepsPerRunFor } from './recipe';

/** Per-step losses of the first `steps` steps of `recipe` on the digits, with `backend` (core's trainLoop). */
async function firstLosses(backend: Backend, recipe: Recipe, data: RunData, steps: number) {
  const vae = buildModel(recipe, data);
  const feed = { ...feedSpecOf(vae, data), key: runKeys(recipe.seed).binarize };
  const stop = new AbortController();
  const losses: number[] = [];
  const t0 = performance.now();
  await trainLoop({
    vae,
    optimizer: buildOptimizer(recipe),
    epochs: recipe.epochs,
    batchSize: recipe.batchSize,
    seed: recipe.seed,
    stepsPerRun: stepsPerRunFor(recipe, data.train.exampleSize),
    signal: stop.signal,
    backend,
    train: { name: 'digits', count: data.train.count, exampleSize: data.train.exampleSize },
    source: (s) => inlineDataSource({ ...s, filler: new Feeder(data.train, feed), count: data.train.count }),
    checkpoints: { lastGood: () => null, afterSteps() {}, stopped() {}, epochEnd() {}, best() {} },
    log: null,
    valInputs: null,
    onCall: (call) => {
      losses.push(...call.loss);
      if (losses.length >= steps) stop.abort();
    },
  });
  await backend.dispose();
  return { losses: losses.slice(0, steps), ms: performance.now() - t0 };
}

describe("a browser recipe trains the model vae train trains, with Node's per-step losses", () => {
  let data: RunData;
  beforeAll(async () => {
    data = readTrainData({ kind: 'digits', bytes: await embeddedDigitsBytes() }, 1);
  });

  // vae train's defaults (784-400-20 MLP, batch 128, Adam 1e-3, seed 1), 8 steps per call.
  it('default recipe: 24 steps in 3 Loop calls on onnxruntime-web vs onnxruntime-node', async () => {
    const recipe = checkRecipe({ stepsPerRun: 8 });
    const web = await firstLosses(new OrtWebBackend({ noPrepacking: true }), recipe, data, 24);
    const node = await firstLosses(nodeBackend(), recipe, data, 24);
    const diff = maxRelDiff(web.losses, node.losses);
    console.log(
      `recipe parity (784-400-20, B=128, K=8, 24 steps): max rel diff ${diff.toExponential(2)}; ` +
        `first loss ${web.losses[0]} vs ${node.losses[0]}, last ${web.losses[23]} vs ${node.losses[23]}`,
    );
    expect(web.losses).toHaveLength(24);
    // float32, different kernel builds (MLAS native vs wasm SIMD), compounded over 24 Adam steps.
    expect(diff).toBeLessThan(1e-5);
  });
});
