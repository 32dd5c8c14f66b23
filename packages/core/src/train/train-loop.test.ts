import { describe, expect, it } from 'vitest';
import { InterpreterBackend } from '../backend/interpreter-backend';
import type { HostTensor } from '../ir/dtype';
import { mlpVAE } from '../models/index';
import { adam } from '../optim/index';
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from './checkpoint';
import { type BatchFiller, inlineDataSource } from './data-source';
import { TrainConfigError } from './errors';
import type { CheckpointSink, TrainLoopOptions } from './train-loop';
import { runSizes, trainLoop } from './train-loop';

// The engine on core's reference interpreter: no onnxruntime, no files, no datasets package.

const D = 6;
const COUNT = 16;
/** Fixed binary examples; fill() lays out order[start..] as [steps, batch, D]. */
const examples = Float32Array.from({ length: COUNT * D }, (_, i) => ((i * 7) % 5 < 2 ? 1 : 0));
const filler: BatchFiller = {
  fill(order, start, steps, batch) {
    const x = new Float32Array(steps * batch * D);
    for (let r = 0; r < steps * batch; r++)
      x.set(examples.subarray(order[start + r]! * D, order[start + r]! * D + D), r * D);
    return { x: { dtype: 'float32', shape: [steps, batch, D], data: x } };
  },
};

/** A sink that keeps checkpoints in memory as the bytes a file would hold, and records its calls. */
function memorySink() {
  const events: string[] = [];
  let last: Uint8Array | null = null;
  const sink: CheckpointSink = {
    lastGood: () => (last ? 'memory' : null),
    afterSteps: () => {},
    stopped: (c) => {
      events.push(`stopped@${c.progress.step}`);
      last = encodeCheckpoint(c);
    },
    epochEnd: (c) => {
      events.push(`epochEnd@${c.progress.epoch}`);
      last = encodeCheckpoint(c);
    },
    best: (_, epoch) => {
      events.push(`best@${epoch}`);
    },
  };
  return { sink, events, last: () => decodeCheckpoint(last!, 'memory') };
}

const options = (o: Partial<TrainLoopOptions> = {}): TrainLoopOptions => ({
  backend: new InterpreterBackend(),
  vae: mlpVAE({ inputSize: D, hidden: [4], latent: 2 }),
  optimizer: adam({ lr: 1e-2 }),
  train: { name: 'tiny', count: COUNT, exampleSize: D },
  epochs: 2,
  batchSize: 4,
  seed: 3,
  stepsPerRun: 3,
  source: (s) => inlineDataSource({ ...s, filler, count: COUNT }),
  checkpoints: memorySink().sink,
  log: null,
  valInputs: null,
  ...o,
});

const plain = (t: Record<string, HostTensor>) =>
  Object.fromEntries(Object.entries(t).map(([n, v]) => [n, Array.from(v.data as Float32Array)]));

describe('trainLoop on the interpreter', () => {
  it('trains, reports each call and each epoch, and checkpoints through the sink', async () => {
    const mem = memorySink();
    const lines: Record<string, unknown>[] = [];
    const calls: number[][] = [];
    const result = await trainLoop(
      options({
        checkpoints: mem.sink,
        log: { write: (l) => lines.push(l) },
        onCall: (call, at) => calls.push([at.step, call.steps, call.loss.length]),
      }),
    );
    // 4 steps per epoch in calls of 3 + 1.
    expect(calls).toEqual([
      [0, 3, 3],
      [3, 1, 1],
      [4, 3, 3],
      [7, 1, 1],
    ]);
    expect(mem.events).toEqual(['best@1', 'epochEnd@1', 'best@2', 'epochEnd@2']);
    expect(lines.map((l) => l.type)).toEqual(['epoch', 'epoch', 'summary']);
    expect(result.progress).toMatchObject({ step: 8, epoch: 2, finished: 'epochs' });
    // The sink's bytes decode to the final state.
    const saved = mem.last();
    expect(saved.progress).toEqual(result.progress);
    expect(plain(saved.params)).toEqual(plain(result.params));
  });

  it('resumes to exactly the weights of an uninterrupted run', async () => {
    const whole = await trainLoop(options());
    const first = memorySink();
    await trainLoop(options({ epochs: 1, checkpoints: first.sink }));
    const resumed = await trainLoop(options({ resumeFrom: first.last() as Checkpoint }));
    expect(plain(resumed.params)).toEqual(plain(whole.params));
    expect(plain(resumed.state)).toEqual(plain(whole.state));
  });

  it('checks sizes before anything runs', () => {
    expect(() =>
      runSizes({ batchSize: 32, epochs: 1, train: { name: 'tiny', count: 16, exampleSize: 6 } }),
    ).toThrow(TrainConfigError);
    expect(runSizes({ batchSize: 4, epochs: 1, train: { name: 'tiny', count: 17, exampleSize: 6 } })).toEqual(
      {
        B: 4,
        K: 64,
        perEpoch: 4,
      },
    );
  });
});

describe('checkpoint bytes', () => {
  it('round-trip weights, optimizer state and progress, and name the source when damaged', () => {
    const c: Checkpoint = {
      params: { w: { dtype: 'float32', shape: [2], data: Float32Array.of(1, -2) } },
      state: { step: { dtype: 'float32', shape: [], data: Float32Array.of(3) } },
      progress: {
        step: 3,
        epoch: 1,
        stepInEpoch: 0,
        bestValElbo: -5,
        bestEpoch: 1,
        badEpochs: 0,
        finished: null,
      },
    };
    const back = decodeCheckpoint(encodeCheckpoint(c), 'x');
    expect(back.progress).toEqual(c.progress);
    expect(plain(back.params)).toEqual(plain(c.params));
    expect(plain(back.state)).toEqual(plain(c.state));
    expect(() => decodeCheckpoint(new Uint8Array(4), 'db:run-1')).toThrow(
      /^db:run-1 is not a valid safetensors file/,
    );
  });
});
