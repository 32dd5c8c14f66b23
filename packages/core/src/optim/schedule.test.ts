import { describe, expect, it } from 'vitest';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { relError, runOrt } from '../testing/harness';
import { OptimizerError } from './optimizer';
import { constantLR, cosineLR, linearWarmupLR, lrAt, type Schedule, scheduleValue, stepLR } from './schedule';

const steps = [0, 1, 2, 3, 7, 10, 25, 50, 99, 100, 150];
// closed forms, float64
const cosine = (lr: number, tMax: number, etaMin: number) => (t: number) =>
  etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2;
const stepped = (lr: number, size: number, gamma: number) => (t: number) =>
  lr * gamma ** Math.floor(t / size);
const warm = (w: number, start: number, after: (t: number) => number) => (t: number) =>
  after(t) * (start + ((1 - start) * Math.min(t, w)) / w);

const cases: [string, Schedule, (t: number) => number][] = [
  ['constant', constantLR(3e-4), () => 3e-4],
  ['cosine', cosineLR({ lr: 0.1, tMax: 100 }), cosine(0.1, 100, 0)],
  ['cosine etaMin', cosineLR({ lr: 0.1, tMax: 50, etaMin: 1e-3 }), cosine(0.1, 50, 1e-3)],
  ['step', stepLR({ lr: 0.1, stepSize: 10, gamma: 0.5 }), stepped(0.1, 10, 0.5)],
  ['step default gamma', stepLR({ lr: 1, stepSize: 25 }), stepped(1, 25, 0.1)],
  ['warm-up to constant', linearWarmupLR({ warmupSteps: 10, after: 0.01 }), warm(10, 0, () => 0.01)],
  [
    'warm-up (start 1/3) then cosine',
    linearWarmupLR({ warmupSteps: 7, startFactor: 1 / 3, after: cosineLR({ lr: 0.02, tMax: 100 }) }),
    warm(7, 1 / 3, cosine(0.02, 100, 0)),
  ],
];

describe('learning-rate schedules vs their closed forms', () => {
  it.each(cases)('%s', async (_name, schedule, closed) => {
    for (const t of steps) {
      const want = closed(t);
      expect(Math.abs(scheduleValue(schedule, t) - want), `t=${t}`).toBeLessThanOrEqual(
        1e-6 * Math.abs(want) + 1e-8,
      );
    }
    // the same graph on onnxruntime-node
    const g = new Graph('sched');
    const t = g.input('t', ['K']);
    const y = schedule(t);
    const feeds = { t: { dtype: 'float32' as const, shape: [steps.length], data: Float32Array.from(steps) } };
    const [ort] = await runOrt(g, [y.add(t.mul(0))], feeds);
    const [ours] = interpret(g, [y.add(t.mul(0))], feeds);
    expect(relError(ort!, ours!, 1e-6)).toBeLessThanOrEqual(1e-5);
  });

  it('step boundaries are exact (floor of t / stepSize never lands early)', () => {
    const s = stepLR({ lr: 1, stepSize: 3, gamma: 0.5 });
    for (let t = 0; t < 3000; t += 1) {
      const v = scheduleValue(s, t);
      expect(v).toBe(Math.fround(0.5 ** Math.floor(t / 3)));
      if (t > 40) t += 97;
    }
  });

  it('lrAt accepts numbers, scheduleValue too; bad settings throw', () => {
    const g = new Graph();
    const t = g.input('t', []);
    expect(lrAt(0.5, t).shape).toEqual([]);
    expect(lrAt(stepLR({ lr: 2, stepSize: 1 }), t).shape).toEqual([]);
    expect(scheduleValue(0.5, 3)).toBe(0.5);
    expect(() => cosineLR({ lr: 1, tMax: 0 })).toThrow(OptimizerError);
    expect(() => stepLR({ lr: 1, stepSize: 1.5 })).toThrow(/stepSize/);
    expect(() => linearWarmupLR({ warmupSteps: 0, after: 1 })).toThrow(/warmupSteps/);
  });
});
