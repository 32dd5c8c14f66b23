/** Turning user arguments into [n, width] float32 batches, with typed errors instead of hangs. */
import { InferError } from './errors';

/** A batch: a flat Float32Array of n x width values, or one array per row. */
export type Rows = Float32Array | readonly (readonly number[] | Float32Array)[];

/**
 * A condition for conditional models: a flat [n, size] Float32Array, one array per row, one class
 * index for every row (one-hot), or one class index per row (Int32Array, one-hot).
 */
export type Condition = Rows | number | Int32Array;

/** `rows` as a flat array with its row count; every row must have `width` values. */
export function toRows(rows: Rows, width: number, what: string): { data: Float32Array; n: number } {
  if (rows instanceof Float32Array) {
    if (rows.length === 0 || rows.length % width !== 0)
      throw new InferError(
        'input',
        `${what} has ${rows.length} values: expected a non-zero multiple of ${width}`,
      );
    return { data: rows, n: rows.length / width };
  }
  if (!Array.isArray(rows) || rows.length === 0)
    throw new InferError('input', `${what} must be a Float32Array or a non-empty array of rows`);
  const data = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    if (r.length !== width)
      throw new InferError('input', `${what}[${i}] has ${r.length} values, expected ${width}`);
    data.set(r, i * width);
  });
  return { data, n: rows.length };
}

/** The condition for n rows as a flat [n, size] array. */
export function toCondition(
  c: Condition | undefined,
  n: number,
  size: number | undefined,
): Float32Array | undefined {
  if (size === undefined) {
    if (c !== undefined) throw new InferError('input', 'this model is not conditional: do not pass c');
    return undefined;
  }
  if (c === undefined) throw new InferError('input', `this model is conditional: pass c (size ${size})`);
  const oneHot = (labels: ArrayLike<number>) => {
    const out = new Float32Array(n * size);
    for (let i = 0; i < n; i++) {
      const k = labels.length === 1 ? labels[0]! : labels[i]!;
      if (!(Number.isInteger(k) && k >= 0 && k < size))
        throw new InferError('input', `c: class ${k} is not an integer in [0, ${size})`);
      out[i * size + k] = 1;
    }
    return out;
  };
  if (typeof c === 'number') return oneHot([c]);
  if (c instanceof Int32Array) {
    if (c.length !== n) throw new InferError('input', `c has ${c.length} labels for ${n} rows`);
    return oneHot(c);
  }
  const { data, n: m } = toRows(c, size, 'c');
  if (m === n) return data;
  if (m === 1) {
    const out = new Float32Array(n * size);
    for (let i = 0; i < n; i++) out.set(data, i * size);
    return out;
  }
  throw new InferError('input', `c has ${m} rows for ${n} rows of input`);
}

/** `data` ([n, width]) repeated `times` times along the batch axis. */
export function repeatRows(data: Float32Array, times: number): Float32Array {
  const out = new Float32Array(data.length * times);
  for (let t = 0; t < times; t++) out.set(data, t * data.length);
  return out;
}
