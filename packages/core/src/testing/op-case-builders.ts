/** Builders for op test cases: input specs (shapes, value generators) and one- and two-input cases. */
import type { OpName } from '../ir/ops';
import type { Tensor } from '../ir/tensor';
import type { InputSpec, OpCase } from './harness';

export const s = (...shape: number[]): InputSpec => ({ shape });
export const sym = (...shape: number[]): InputSpec => ({ shape, declared: ['N', ...shape.slice(1)] });
export const pos = (...shape: number[]): InputSpec => ({ shape, gen: 'positive' });
export const away = (...shape: number[]): InputSpec => ({ shape, gen: 'awayFromZero' });
export const un = (name: string, shape: InputSpec, f: (x: Tensor) => Tensor, grad = true): OpCase => ({
  name,
  inputs: [shape],
  build: (_g, [x]) => f(x!),
  grad,
});
export const bin = (
  name: string,
  a: InputSpec,
  b: InputSpec,
  f: (x: Tensor, y: Tensor) => Tensor,
  grad: OpCase['grad'] = true,
): OpCase => ({
  name,
  inputs: [a, b],
  build: (_g, [x, y]) => f(x!, y!),
  grad,
});

/** The broadcasting cases every binary element-wise op is tried on. */
const broadcastPairs: [string, InputSpec, InputSpec][] = [
  ['same', s(3, 4), s(3, 4)],
  ['row', s(3, 4), s(4)],
  ['col', s(3, 1), s(1, 4)],
  ['scalar', s(2, 3, 4), s()],
  ['batch', sym(5, 3), s(1, 3)],
];
export const binaryCases = (
  op: OpName,
  f: (x: Tensor, y: Tensor) => Tensor,
  b?: (spec: InputSpec) => InputSpec,
): OpCase[] => broadcastPairs.map(([n, x, y]) => bin(`${op} ${n}`, x, b ? b(y) : y, f));
