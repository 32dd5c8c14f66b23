import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../train/trainer';
import { chunkProgress, clock, progressReporter, runClock } from './progress';

const event = (step: number, stepInEpoch: number, extra: Partial<ProgressEvent> = {}): ProgressEvent => ({
  epoch: Math.floor((step - 1) / 10),
  stepInEpoch,
  stepsPerEpoch: 10,
  step,
  runningLoss: 100,
  samplesPerSecond: 5000,
  ...extra,
});

describe('clock', () => {
  it('writes m:ss and h:mm:ss', () => {
    expect([clock(0), clock(59.6), clock(61), clock(3600 + 62), clock(-3)]).toEqual([
      '0:00',
      '1:00',
      '1:01',
      '1:01:02',
      '0:00',
    ]);
  });
});

describe('runClock', () => {
  it('extrapolates the rate of this invocation to the steps left of the whole run', () => {
    let t = 0;
    const times = runClock(4, () => t);
    t = 5000; // 5 s for the first 5 of 40 steps
    expect(times(event(5, 5))).toEqual({ elapsed: '0:05', left: '0:35' });
    t = 10_000;
    expect(times(event(10, 10))).toEqual({ elapsed: '0:10', left: '0:30' });
  });

  it('counts a resumed run from where it resumed', () => {
    let t = 0;
    const times = runClock(4, () => t); // resumed at step 20 of 40
    t = 2000;
    expect(times(event(22, 2))).toEqual({ elapsed: '0:02', left: '0:18' });
  });
});

describe('progressReporter without a terminal', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs each epoch once, after its validation, with elapsed time and what is left', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      lines.push(String(s));
      return true;
    });
    const tty = process.stderr.isTTY;
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    try {
      const r = progressReporter(2);
      for (let e = 0; e < 2; e++) {
        for (let s = 5; s <= 10; s += 5) r.onProgress(event(e * 10 + s, s));
        r.onProgress(event(e * 10 + 10, 10, { valElbo: 99.5, epochEnd: true }));
      }
      r.stop();
    } finally {
      Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true });
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^epoch 1\/2: loss 100\.00 \| val -ELBO 99\.50, 5000 samples\/s, \d+:\d\d elapsed, ~\d+:\d\d left\n$/,
    );
    expect(lines[1]).toMatch(/^epoch 2\/2: .* ~0:00 left\n$/);
  });
});

describe('chunkProgress without a terminal', () => {
  afterEach(() => vi.restoreAllMocks());

  /** stderr lines written while `body` runs with stderr not a terminal. */
  function capture(body: () => void): string[] {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      lines.push(String(s));
      return true;
    });
    const tty = process.stderr.isTTY;
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    try {
      body();
    } finally {
      Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true });
    }
    return lines;
  }

  it('writes a plain line at every further tenth, with elapsed time and what is left', () => {
    let t = 0;
    const lines = capture(() => {
      const p = chunkProgress('importance sampling', { now: () => t });
      for (let done = 1; done <= 40; done++) {
        t = done * 500; // half a second per chunk
        p.onChunk(done, 40);
      }
      p.stop();
    });
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('importance sampling: 10% (4/40 chunks), 0:02 elapsed, ~0:18 left\n');
    expect(lines[4]).toBe('importance sampling: 50% (20/40 chunks), 0:10 elapsed, ~0:10 left\n');
    expect(lines[9]).toBe('importance sampling: 100% (40/40 chunks), 0:20 elapsed\n');
  });

  it('writes one line per chunk when there are fewer than ten, and nothing when quiet', () => {
    const few = capture(() => {
      const p = chunkProgress('scoring');
      for (let done = 1; done <= 3; done++) p.onChunk(done, 3);
    });
    expect(few.map((l) => l.split(',')[0])).toEqual([
      'scoring: 33% (1/3 chunks)',
      'scoring: 66% (2/3 chunks)',
      'scoring: 100% (3/3 chunks)',
    ]);
    const quiet = capture(() => {
      const p = chunkProgress('scoring', { quiet: true });
      for (let done = 1; done <= 3; done++) p.onChunk(done, 3);
    });
    expect(quiet).toEqual([]);
  });
});
