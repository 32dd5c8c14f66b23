import { describe, expect, it } from 'vitest';
import { lossRange, thin } from './loss-curve';

describe('loss curve helpers', () => {
  it('keeps short series as they are and thins long ones to group means', () => {
    expect(thin([3, 2, 1], 10)).toEqual({ points: [3, 2, 1], every: 1 });
    const long = Array.from({ length: 1000 }, (_, i) => i);
    const { points, every } = thin(long, 400);
    expect(every).toBe(3);
    expect(points).toHaveLength(334);
    expect(points[0]).toBe(1); // mean of 0, 1, 2
    expect(points.at(-1)).toBe(999); // the last group holds one step
  });

  it('spans every finite loss, and a flat series gets a unit range around it', () => {
    expect(lossRange([540, 200, Number.NaN, 180])).toEqual([180, 540]);
    expect(lossRange([5, 5])).toEqual([4, 6]);
    expect(lossRange([])).toEqual([0, 1]);
  });
});
