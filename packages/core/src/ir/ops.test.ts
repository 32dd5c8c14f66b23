import { describe, expect, it } from 'vitest';
import { buildCase, type OpCase, relError, runOrt, vjpVsFiniteDifference } from '../testing/harness';
import { opCases } from '../testing/op-cases';
import { interpret } from './interpret';
import { opNames } from './ops';

const cases = opNames.flatMap((op) => (opCases[op] as OpCase[]).map((c) => ({ op, c })));

// Agreement is |ours - ort| <= 1e-5 * (|ort| + 1e-2): 1e-5 relative, 1e-7 absolute near zero
// (float32 accumulation order and MLAS's clamped sigmoid differ from the float64 oracle there).
describe('every op: reference interpreter vs onnxruntime-node', () => {
  it('has at least one case per op', () => {
    for (const op of opNames) expect(opCases[op].length, op).toBeGreaterThan(0);
  });
  it.each(cases)('$c.name', async ({ c }) => {
    const { graph, outputs, feeds } = buildCase(c);
    const ours = interpret(graph, outputs, feeds);
    const theirs = await runOrt(graph, outputs, feeds);
    ours.forEach((t, i) => {
      expect(t.shape, `output ${i} shape`).toEqual(theirs[i]!.shape);
      expect(t.dtype).toBe(theirs[i]!.dtype);
      expect(relError(t, theirs[i]!, 1e-2), `output ${i}`).toBeLessThanOrEqual(1e-5);
    });
  });
});

describe('every differentiable op: VJP vs central finite differences', () => {
  const diff = cases.filter(({ c }) => c.grad !== false);
  it.each(diff)('$c.name', ({ c }) => {
    for (const r of vjpVsFiniteDifference(c)) {
      const tol = (c.gradTol ?? 2e-3) * Math.max(r.scale, 1e-2);
      expect(
        Math.abs(r.analytic - r.numeric),
        `input ${r.input}: analytic ${r.analytic} vs numeric ${r.numeric}`,
      ).toBeLessThanOrEqual(tol);
    }
  });
});
