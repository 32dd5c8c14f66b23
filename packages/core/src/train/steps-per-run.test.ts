import { describe, expect, it } from 'vitest';
import { defaultStepsPerRun } from './train-types';

describe('defaultStepsPerRun', () => {
  it('runs 64 steps per call for 28x28 images at batch 128 (32 MiB holds 83 steps of inputs)', () => {
    expect(defaultStepsPerRun(128, 784)).toBe(64);
  });
  it('takes fewer steps when a call would pass 32 MiB of inputs, and never fewer than one', () => {
    expect(defaultStepsPerRun(128, 64 * 64 * 3)).toBe(5); // 6 MiB per step
    expect(defaultStepsPerRun(4096, 1 << 20)).toBe(1);
  });
});
