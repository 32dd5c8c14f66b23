import { allocData, type DataOf, type DType, type HostTensor, sizeOf } from '../dtype';
import { FeedError } from '../errors';
import { normAxis, stridesOf } from '../shape';
import { sliceLength } from '../shape-rules-movement';
import { broadcastIndex } from './elementwise';
import { arg, intsOf, type Kernel } from './kernel';

type AnyData = DataOf[DType];

/** Copies `src[index[i]]` into a fresh array of the same dtype (works for bigint arrays too). */
function take(x: HostTensor, shape: number[], index: (i: number) => number): HostTensor {
  const n = sizeOf(shape);
  const out = allocData(x.dtype, n) as AnyData;
  const src = x.data as AnyData;
  for (let i = 0; i < n; i++) (out as unknown as unknown[])[i] = src[index(i)];
  return { dtype: x.dtype, shape, data: out } as HostTensor;
}

/** Calls `f(coords)` for each output coordinate in row-major order (coords reused between calls). */
function forEachCoord(shape: readonly number[], f: (c: number[], i: number) => void): void {
  const n = sizeOf(shape);
  const c = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    f(c, i);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++c[d]! < shape[d]!) break;
      c[d] = 0;
    }
  }
}

function withCoords(
  x: HostTensor,
  shape: number[],
  srcOffset: (c: number[]) => number | null,
  fill?: HostTensor | null,
): HostTensor {
  const n = sizeOf(shape);
  const out = allocData(x.dtype, n) as AnyData;
  const src = x.data as AnyData;
  const pad = fill ? (fill.data as AnyData)[0] : x.dtype === 'int64' ? 0n : 0;
  forEachCoord(shape, (c, i) => {
    const off = srcOffset(c);
    (out as unknown as unknown[])[i] = off === null ? pad : src[off];
  });
  return { dtype: x.dtype, shape, data: out } as HostTensor;
}

function reshapeTo(x: HostTensor, target: number[], allowzero: boolean): HostTensor {
  const dims = target.map((d, i) => (d === 0 && !allowzero ? x.shape[i]! : d));
  const known = dims.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const out = dims.map((d) => (d === -1 ? x.data.length / known : d));
  if (sizeOf(out) !== x.data.length || !out.every(Number.isInteger)) {
    throw new FeedError(`Reshape: cannot reshape [${x.shape}] to [${target}] at run time`);
  }
  return { ...x, shape: out };
}

export const movementKernels = {
  Shape: ((ins) => {
    const x = arg(ins, 0, 'Shape');
    return [{ dtype: 'int64', shape: [x.shape.length], data: BigInt64Array.from(x.shape, BigInt) }];
  }) satisfies Kernel,
  Constant: ((_ins, a) => [a.value as HostTensor]) satisfies Kernel,
  Reshape: ((ins, a) => [
    reshapeTo(arg(ins, 0, 'Reshape'), intsOf(arg(ins, 1, 'Reshape')), a.allowzero === 1),
  ]) satisfies Kernel,
  Flatten: ((ins, a) => {
    const x = arg(ins, 0, 'Flatten');
    const axis = (a.axis as number) < 0 ? (a.axis as number) + x.shape.length : (a.axis as number);
    return [{ ...x, shape: [sizeOf(x.shape.slice(0, axis)), sizeOf(x.shape.slice(axis))] }];
  }) satisfies Kernel,
  Transpose: ((ins, a) => {
    const x = arg(ins, 0, 'Transpose');
    const perm = (a.perm as number[] | undefined) ?? x.shape.map((_, i) => x.shape.length - 1 - i);
    const st = stridesOf(x.shape);
    const shape = perm.map((p) => x.shape[p]!);
    return [withCoords(x, shape, (c) => c.reduce((off, v, d) => off + v * st[perm[d]!]!, 0))];
  }) satisfies Kernel,
  Concat: ((ins, a) => {
    const ts = ins.map((_, i) => arg(ins, i, 'Concat'));
    const first = ts[0]!;
    const axis = normAxis('Concat', a.axis as number, first.shape.length);
    const shape = [...first.shape];
    shape[axis] = ts.reduce((s, t) => s + t.shape[axis]!, 0);
    const starts = ts.map((_, i) => ts.slice(0, i).reduce((s, t) => s + t.shape[axis]!, 0));
    const out = allocData(first.dtype, sizeOf(shape)) as AnyData;
    forEachCoord(shape, (c, i) => {
      let k = 0;
      while (k + 1 < ts.length && c[axis]! >= starts[k + 1]!) k++;
      const t = ts[k]!;
      const st = stridesOf(t.shape);
      let off = 0;
      for (let d = 0; d < c.length; d++) off += (d === axis ? c[d]! - starts[k]! : c[d]!) * st[d]!;
      (out as unknown as unknown[])[i] = (t.data as AnyData)[off];
    });
    return [{ dtype: first.dtype, shape, data: out } as HostTensor];
  }) satisfies Kernel,
  Slice: ((ins) => {
    const x = arg(ins, 0, 'Slice');
    const starts = intsOf(arg(ins, 1, 'Slice'));
    const ends = intsOf(arg(ins, 2, 'Slice'));
    const axes = ins[3] ? intsOf(ins[3]) : starts.map((_, i) => i);
    const steps = ins[4] ? intsOf(ins[4]) : starts.map(() => 1);
    const begin = x.shape.map(() => 0);
    const step = x.shape.map(() => 1);
    const shape = [...x.shape];
    axes.forEach((ax, i) => {
      const d = normAxis('Slice', ax, x.shape.length);
      const dim = x.shape[d]!;
      const s = starts[i]!;
      const st = steps[i]!;
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + dim : v, lo), hi);
      begin[d] = st > 0 ? clamp(s, 0, dim) : clamp(s, 0, dim - 1);
      step[d] = st;
      shape[d] = sliceLength(dim, s, ends[i]!, st);
    });
    const xs = stridesOf(x.shape);
    return [
      withCoords(x, shape, (c) => c.reduce((off, v, d) => off + (begin[d]! + v * step[d]!) * xs[d]!, 0)),
    ];
  }) satisfies Kernel,
  Split: ((ins, a) => {
    const x = arg(ins, 0, 'Split');
    const axis = normAxis('Split', a.axis as number, x.shape.length);
    const xs = stridesOf(x.shape);
    let start = 0;
    return intsOf(arg(ins, 1, 'Split')).map((n) => {
      const shape = x.shape.map((d, i) => (i === axis ? n : d));
      const begin = start;
      start += n;
      return withCoords(x, shape, (c) =>
        c.reduce((off, v, d) => off + (d === axis ? v + begin : v) * xs[d]!, 0),
      );
    });
  }) satisfies Kernel,
  Gather: ((ins, a) => {
    const x = arg(ins, 0, 'Gather');
    const idx = intsOf(arg(ins, 1, 'Gather'));
    const ishape = arg(ins, 1, 'Gather').shape;
    const axis = normAxis('Gather', a.axis as number, x.shape.length);
    const dim = x.shape[axis]!;
    for (const v of idx)
      if (v < -dim || v >= dim) throw new FeedError(`Gather: index ${v} out of range for axis size ${dim}`);
    const shape = [...x.shape.slice(0, axis), ...ishape, ...x.shape.slice(axis + 1)];
    const xs = stridesOf(x.shape);
    const is = stridesOf(ishape);
    return [
      withCoords(x, shape, (c) => {
        let off = 0;
        for (let d = 0; d < axis; d++) off += c[d]! * xs[d]!;
        let flat = 0;
        for (let d = 0; d < ishape.length; d++) flat += c[axis + d]! * is[d]!;
        const j = idx[flat]!;
        off += (j < 0 ? j + dim : j) * xs[axis]!;
        for (let d = axis + 1; d < x.shape.length; d++) off += c[d - 1 + ishape.length]! * xs[d]!;
        return off;
      }),
    ];
  }) satisfies Kernel,
  Expand: ((ins) => {
    const x = arg(ins, 0, 'Expand');
    const { shape, index } = broadcastIndex('Expand', [x.shape, intsOf(arg(ins, 1, 'Expand'))]);
    return [take(x, shape, (i) => index[0]![i]!)];
  }) satisfies Kernel,
  Unsqueeze: ((ins) => {
    const x = arg(ins, 0, 'Unsqueeze');
    const axesIn = intsOf(arg(ins, 1, 'Unsqueeze'));
    const rank = x.shape.length + axesIn.length;
    const axes = new Set(axesIn.map((ax) => normAxis('Unsqueeze', ax, rank)));
    const shape: number[] = [];
    let j = 0;
    for (let i = 0; i < rank; i++) shape.push(axes.has(i) ? 1 : x.shape[j++]!);
    return [{ ...x, shape }];
  }) satisfies Kernel,
  Squeeze: ((ins) => {
    const x = arg(ins, 0, 'Squeeze');
    const axes = ins[1] ? intsOf(ins[1]).map((ax) => normAxis('Squeeze', ax, x.shape.length)) : [];
    const shape = x.shape.filter((d, i) => (axes.length ? !axes.includes(i) : d !== 1));
    return [{ ...x, shape }];
  }) satisfies Kernel,
  Pad: ((ins) => {
    const x = arg(ins, 0, 'Pad');
    const pads = intsOf(arg(ins, 1, 'Pad'));
    const r = x.shape.length;
    const shape = x.shape.map((d, i) => d + pads[i]! + pads[i + r]!);
    const xs = stridesOf(x.shape);
    return [
      withCoords(
        x,
        shape,
        (c) => {
          let off = 0;
          for (let d = 0; d < r; d++) {
            const v = c[d]! - pads[d]!;
            if (v < 0 || v >= x.shape[d]!) return null;
            off += v * xs[d]!;
          }
          return off;
        },
        ins[2] ?? null,
      ),
    ];
  }) satisfies Kernel,
};
