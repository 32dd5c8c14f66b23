import { describe, expect, it } from 'vitest';
import { auprc, auroc, ratesAt, rocCurve, thresholdAtFpr } from './ranking';

/** The oracle: every (anomaly, normal) pair, a win 1, a tie 1/2. */
function pairwise(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((a, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((b, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

/** Average precision by brute force: at each anomaly's rank group, precision of the group's threshold. */
function bruteAp(scores: number[], labels: number[]): number {
  const p = labels.filter((l) => l === 1).length;
  let ap = 0;
  for (const t of [...new Set(scores)].sort((a, b) => b - a)) {
    const at = scores.map((s, i) => [s, labels[i]!] as const).filter(([s]) => s === t);
    const above = scores.map((s, i) => [s, labels[i]!] as const).filter(([s]) => s >= t);
    const tp = above.filter(([, l]) => l === 1).length;
    ap += (at.filter(([, l]) => l === 1).length / p) * (tp / above.length);
  }
  return ap;
}

/** A small deterministic generator (tests need no PRNG package). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('auroc', () => {
  it('hand-computed cases: perfect, reversed, all tied, one tie', () => {
    expect(auroc([3, 4, 1, 2], [1, 1, 0, 0])).toBe(1);
    expect(auroc([1, 2, 3, 4], [1, 1, 0, 0])).toBe(0);
    expect(auroc([5, 5, 5, 5], [1, 0, 1, 0])).toBe(0.5);
    // pairs (a, n): (2,1) win, (2,2) tie, (3,1) win, (3,2) win -> 3.5 / 4
    expect(auroc([2, 3, 1, 2], [1, 1, 0, 0])).toBe(0.875);
  });

  it('equals the pairwise oracle on random scores with many ties', () => {
    const rand = lcg(7);
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + Math.floor(rand() * 60);
      const labels = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : rand() < 0.3 ? 1 : 0));
      const scores = labels.map((l) => Math.round((rand() + l * 0.3) * 6) / 6);
      expect(auroc(scores, labels)).toBeCloseTo(pairwise(scores, labels), 12);
      expect(auprc(scores, labels)).toBeCloseTo(bruteAp(scores, labels), 12);
    }
  });

  it('refuses one-class labels, NaN scores, other labels and length mismatches', () => {
    expect(() => auroc([1, 2], [1, 1])).toThrow(/2 anomalies and 0 normal/);
    expect(() => auroc([1, Number.NaN], [1, 0])).toThrow(/score 1 is NaN/);
    expect(() => auroc([1, 2], [1, 2])).toThrow(/label 1 is 2/);
    expect(() => auroc([1, 2, 3], [1, 0])).toThrow(/3 scores but 2 labels/);
  });
});

describe('auprc and the ROC curve', () => {
  it('hand-computed average precision', () => {
    // ranks: 0.9 (a), 0.8 (n), 0.7 (a): AP = 1/2 * 1 + 1/2 * 2/3
    expect(auprc([0.9, 0.8, 0.7], [1, 0, 1])).toBeCloseTo(0.5 + 1 / 3, 12);
    // a tie between an anomaly and a normal example is one threshold at precision 1/2
    expect(auprc([1, 1], [1, 0])).toBe(0.5);
  });

  it('runs from (0, 0) to (1, 1), one point per distinct score, a tie one diagonal step', () => {
    const roc = rocCurve([2, 3, 1, 2], [1, 1, 0, 0]);
    expect(roc.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    expect(roc[0]!.threshold).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('threshold at a false-alarm rate', () => {
  it('flags at most that share of normal scores, fewer when a tie straddles the cut', () => {
    const normal = Array.from({ length: 100 }, (_, i) => i);
    const t = thresholdAtFpr(normal, 0.05);
    expect(t).toEqual({ threshold: 95, fpr: 0.05 });
    expect(ratesAt(normal, new Array(100).fill(0), t.threshold).fpr).toBe(0.05);
    expect(thresholdAtFpr([1, 2, 3, 3], 0.25)).toEqual({ threshold: expect.any(Number), fpr: 0 });
    expect(thresholdAtFpr([1, 2, 3, 3], 0.25).threshold).toBeGreaterThan(3);
    expect(thresholdAtFpr([1, 2, 3, 3], 0.5)).toEqual({ threshold: 3, fpr: 0.5 });
    expect(() => thresholdAtFpr([], 0.1)).toThrow(/no normal scores/);
    expect(() => thresholdAtFpr([1], 2)).toThrow(/\[0, 1\]/);
  });

  it('gives test TPR and FPR at a threshold', () => {
    expect(ratesAt([1, 2, 3, 4], [0, 1, 0, 1], 2)).toEqual({ tpr: 1, fpr: 0.5 });
  });
});
