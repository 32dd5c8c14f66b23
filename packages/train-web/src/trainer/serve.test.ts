import { decodeCheckpoint, parseManifestText } from '@vae/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserTrainer } from '../client';
import { RecipeError, TrainerStateError } from '../errors';
import { embeddedDigitsBytes } from '../node';
import { memoryStorage } from '../store/index';
import type { RunStorage } from '../store/run-store';
import { sampleCsv } from '../test-helpers';
import type { ProgressMessage } from './protocol';
import { serveTrainer } from './serve';

/** A trainer served over a MessageChannel in this process (what the Web Worker does in a page). */
function trainerOn(storage: RunStorage): BrowserTrainer {
  const { port1, port2 } = new MessageChannel();
  serveTrainer(port2 as never, { storage, checkpointSeconds: 0 });
  port2.start();
  port1.start();
  return new BrowserTrainer(Object.assign(port1 as never, { terminate: () => port1.close() }));
}

const recipe = { hidden: [32], latent: 4, epochs: 1, batchSize: 100, stepsPerRun: 5 };
let bytes: Uint8Array;
beforeAll(async () => {
  bytes = await embeddedDigitsBytes();
});

/** Trains until `until` steps are reported (then stops) or the run ends; losses by global step. */
async function collect(t: BrowserTrainer, go: () => Promise<unknown>, until = Number.POSITIVE_INFINITY) {
  const losses = new Map<number, number>();
  const events: string[] = [];
  const done = new Promise<boolean>((resolve, reject) => {
    t.on('progress', (p: ProgressMessage) => {
      p.stepLosses.forEach((l, j) => losses.set(p.step - p.stepLosses.length + j + 1, l));
      if (p.step >= until) t.stop();
    });
    t.on('epoch', () => events.push('epoch'));
    t.on('done', (d) => resolve(d.finished));
    t.on('error', (e) => {
      if (e.id === undefined) reject(new Error(`${e.name}: ${e.message}`));
    });
  });
  await go();
  return { finished: await done, losses, events };
}

describe('the training worker (served over a MessageChannel, onnxruntime-web wasm in Node)', () => {
  const storage = memoryStorage();
  const trainers: BrowserTrainer[] = [];
  const make = () => {
    const t = trainerOn(storage);
    trainers.push(t);
    return t;
  };
  afterAll(() => {
    for (const t of trainers) t.dispose();
  });

  it('refuses a bad recipe with a typed one-line error', async () => {
    const t = make();
    const e = await t
      .start({ runId: 'bad', recipe: { latent: 0 }, data: { kind: 'digits', bytes } })
      .catch((x) => x);
    expect(e).toBeInstanceOf(RecipeError);
    expect(e.message).toBe('recipe.latent must be a positive integer, got 0');
    await expect(t.resume('nothing-here')).rejects.toThrow('no stored run nothing-here');
    await expect(t.samples(4, 1)).rejects.toBeInstanceOf(TrainerStateError);
  });

  it('trains, stops with a checkpoint, and resumes exactly where an uninterrupted run would be', async () => {
    const whole = make();
    const a = await collect(whole, () =>
      whole.start({ runId: 'whole', recipe, data: { kind: 'digits', bytes } }),
    );
    expect(a.finished).toBe(true);
    expect(a.losses.size).toBe(70); // 7000 training digits / 100
    expect(a.events).toEqual(['epoch']);

    const first = make();
    const b = await collect(
      first,
      () => first.start({ runId: 'split', recipe, data: { kind: 'digits', bytes } }),
      20,
    );
    expect(b.finished).toBe(false);
    const stored = await (await storage.open('split')).read('checkpoint.safetensors');
    const at = decodeCheckpoint(stored!, 'split').progress.step;
    expect(at).toBeGreaterThanOrEqual(20);
    expect(await first.listRuns()).toEqual(['split', 'whole']);

    const second = make(); // as after a reload: a new worker, the same storage
    const c = await collect(second, () => second.resume('split'));
    expect(c.finished).toBe(true);
    expect(Math.min(...c.losses.keys())).toBe(at + 1);
    for (const [step, loss] of [...b.losses].filter(([s]) => s <= at).concat([...c.losses]))
      expect(loss, `step ${step}`).toBe(a.losses.get(step));

    const grid = await second.samples(6, 3);
    expect(grid.shape).toEqual([784]);
    expect(grid.means.length).toBe(6 * 784);
    expect(Math.min(...grid.means)).toBeGreaterThanOrEqual(0);
    const files = await second.exportBundle();
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['encoder.onnx', 'decoder.onnx', 'manifest.json']),
    );
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    expect(manifest.parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    expect(manifest.metrics.test_elbo).toBeGreaterThan(0);
    expect(manifest.latentMap.method).toBe('pca');
    // The same contract as a Node export: core's manifest checks, and the score histogram shipped.
    const checked = parseManifestText(files['manifest.json']!);
    expect(checked.testScores?.n).toBe(2000);
    expect(checked.testScores?.histogram.counts.reduce((x, y) => x + y, 0)).toBe(2000);
  });

  it('trains a tabular model on a CSV and exports a bundle with its column schema', async () => {
    const t = make();
    const csv = sampleCsv(300);
    const r = await collect(t, () =>
      t.start({ runId: 'table', recipe: { epochs: 2, batchSize: 32 }, data: { kind: 'csv', text: csv } }),
    );
    expect(r.finished).toBe(true);
    expect(r.losses.size).toBe(2 * Math.floor(240 / 32));
    const files = await t.exportBundle();
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    expect(manifest.data.tabular.columns.map((c: { name: string }) => c.name)).toEqual([
      'height',
      'weight',
      'colour',
      'tall',
    ]);
    expect(manifest.parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    const grid = await t.samples(3, 1);
    expect(grid.shape).toEqual([6]);
  });

  it('pauses at a step-call boundary and continues', async () => {
    const t = make();
    let paused = 0;
    t.on('paused', () => {
      paused++;
      t.continue();
    });
    let asked = false;
    t.on('progress', () => {
      if (!asked) t.pause();
      asked = true;
    });
    const r = await collect(t, () => t.start({ runId: 'pausing', recipe, data: { kind: 'digits', bytes } }));
    expect(paused).toBe(1);
    expect(r.finished).toBe(true);
    expect(r.losses.size).toBe(70);
  });
});
