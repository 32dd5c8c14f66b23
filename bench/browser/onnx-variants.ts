// BENCH-ONLY ONNX post-passes over the decoder that @vae/core lowers (MatMul + Add + Relu per dense
// layer). They exist to measure levers before anything moves into core; none of them is used by
// the library. Each takes a ModelProto and returns a new one.
import type { ModelProto, NodeProto, TensorProto } from '@vae/core';
import { OnnxDataType } from '@vae/core';

const node = (
  opType: string,
  input: string[],
  output: string[],
  extra: Partial<NodeProto> = {},
): NodeProto => ({
  opType,
  input,
  output,
  name: `${output[0]}_${opType}`,
  attribute: [],
  ...extra,
});

const f32Of = (t: TensorProto): Float32Array => {
  if (t.dataType !== OnnxDataType.FLOAT) throw new Error(`${t.name}: expected float32`);
  return new Float32Array(t.rawData.slice().buffer);
};

const rawOf = (a: ArrayBufferView): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();

const withGraph = (m: ModelProto, g: Partial<ModelProto['graph']>, tag: string): ModelProto => ({
  ...m,
  docString: `${m.docString ?? ''} [bench post-pass: ${tag}]`.trim(),
  graph: { ...m.graph, ...g },
});

/** Drops initializers no node reads (core's lowering bakes in every bound input, encoder weights too). */
export function pruneInitializers(m: ModelProto): ModelProto {
  const read = new Set(m.graph.node.flatMap((n) => n.input));
  return withGraph(m, { initializer: m.graph.initializer.filter((t) => read.has(t.name)) }, 'prune');
}

/** MatMul(x, W) + Add(., b) with constant W [K, M] and b [M] -> Gemm(x, W, b). */
export function toGemm(m: ModelProto): ModelProto {
  const inits = new Map(m.graph.initializer.map((t) => [t.name, t]));
  const consumers = (name: string) => m.graph.node.filter((n) => n.input.includes(name));
  const out: NodeProto[] = [];
  const skip = new Set<NodeProto>();
  for (const n of m.graph.node) {
    if (skip.has(n)) continue;
    const w = inits.get(n.input[1] ?? '');
    const next = consumers(n.output[0]!);
    const add = next.length === 1 && next[0]!.opType === 'Add' ? next[0]! : undefined;
    const bias = add && inits.get(add.input.find((i) => i !== n.output[0]) ?? '');
    if (n.opType === 'MatMul' && w?.dims.length === 2 && add && bias?.dims.length === 1) {
      out.push(node('Gemm', [n.input[0]!, w.name, bias.name], [add.output[0]!]));
      skip.add(add);
    } else out.push(n);
  }
  return withGraph(m, { node: out }, 'gemm');
}

/** IEEE half from a float (round to nearest even), as its 16 bits. */
export function toHalfBits(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return sign | h;
}

const halfTensor = (t: TensorProto): TensorProto => ({
  name: t.name,
  dims: t.dims,
  dataType: OnnxDataType.FLOAT16,
  rawData: rawOf(Uint16Array.from(f32Of(t), toHalfBits)),
});

/** Weights stored as fp16 and Cast to fp32 on load (half the download; compute stays fp32). */
export function fp16Storage(m: ModelProto): ModelProto {
  const casts = m.graph.initializer.map((t) =>
    node('Cast', [`${t.name}_fp16`], [t.name], {
      attribute: [{ name: 'to', type: 'int', i: OnnxDataType.FLOAT }],
    }),
  );
  const inits = m.graph.initializer.map((t) => ({ ...halfTensor(t), name: `${t.name}_fp16` }));
  return withGraph(m, { node: [...casts, ...m.graph.node], initializer: inits }, 'fp16-storage');
}

/** Everything in fp16 (weights and arithmetic); the fp32 input and output are Cast at the edges. */
export function fp16Compute(m: ModelProto): ModelProto {
  const toF = (to: number) => [{ name: 'to', type: 'int' as const, i: to }];
  const input = m.graph.input[0]!.name;
  const output = m.graph.output[0]!.name;
  const last = m.graph.node.find((n) => n.output.includes(output))!;
  const body = m.graph.node
    .filter((n) => n !== last)
    .map((n) => ({ ...n, input: n.input.map((i) => (i === input ? `${input}_fp16` : i)) }));
  return withGraph(
    m,
    {
      node: [
        node('Cast', [input], [`${input}_fp16`], { attribute: toF(OnnxDataType.FLOAT16) }),
        ...body,
        node('Cast', [last.input[0]!], [output], { attribute: toF(OnnxDataType.FLOAT) }),
      ],
      initializer: m.graph.initializer.map(halfTensor),
    },
    'fp16-compute',
  );
}

/**
 * Dynamic int8 quantisation of every MatMul with a constant weight, in the standard-op form that
 * onnxruntime's quantize_dynamic writes: DynamicQuantizeLinear(x) -> MatMulInteger(x_q, W_q int8,
 * x_zp) -> Cast -> Mul(x_scale * w_scale[col]). Weights: symmetric, one scale per output column.
 */
export function int8Dynamic(m: ModelProto): ModelProto {
  const inits = new Map(m.graph.initializer.map((t) => [t.name, t]));
  const extra: TensorProto[] = [];
  const out: NodeProto[] = [];
  for (const n of m.graph.node) {
    const w = inits.get(n.input[1] ?? '');
    if (n.opType !== 'MatMul' || !w || w.dims.length !== 2) {
      out.push(n);
      continue;
    }
    const [k, cols] = w.dims as [number, number];
    const data = f32Of(w);
    const scale = new Float32Array(cols);
    for (let j = 0; j < cols; j++) {
      let mx = 0;
      for (let i = 0; i < k; i++) mx = Math.max(mx, Math.abs(data[i * cols + j]!));
      scale[j] = mx > 0 ? mx / 127 : 1;
    }
    const q = Int8Array.from(data, (v, idx) =>
      Math.max(-127, Math.min(127, Math.round(v / scale[idx % cols]!))),
    );
    inits.delete(w.name);
    extra.push(
      { name: `${w.name}_q`, dims: [k, cols], dataType: OnnxDataType.INT8, rawData: rawOf(q) },
      { name: `${w.name}_scale`, dims: [cols], dataType: OnnxDataType.FLOAT, rawData: rawOf(scale) },
    );
    const p = n.output[0]!;
    out.push(
      node('DynamicQuantizeLinear', [n.input[0]!], [`${p}_xq`, `${p}_xs`, `${p}_xzp`]),
      node('MatMulInteger', [`${p}_xq`, `${w.name}_q`, `${p}_xzp`], [`${p}_i32`]),
      node('Cast', [`${p}_i32`], [`${p}_f`], {
        attribute: [{ name: 'to', type: 'int', i: OnnxDataType.FLOAT }],
      }),
      node('Mul', [`${p}_xs`, `${w.name}_scale`], [`${p}_s`]),
      node('Mul', [`${p}_f`, `${p}_s`], [p]),
    );
  }
  return withGraph(m, { node: out, initializer: [...inits.values(), ...extra] }, 'int8-dynamic');
}

/**
 * The last dense layer computed transposed: y = Transpose(Gemm(W^T, Transpose(h), b[:, None])). MLAS
 * then streams the weights as its A operand and packs the activations per call (its B operand).
 */
export function transposedLast(m: ModelProto): ModelProto {
  const inits = new Map(m.graph.initializer.map((t) => [t.name, t]));
  const mm = m.graph.node.filter((n) => n.opType === 'MatMul').at(-1)!;
  const add = m.graph.node.find((n) => n.opType === 'Add' && n.input.includes(mm.output[0]!))!;
  const w = inits.get(mm.input[1]!)!;
  const b = inits.get(add.input.find((i) => i !== mm.output[0])!)!;
  const [k, cols] = w.dims as [number, number];
  const wd = f32Of(w);
  const wt = new Float32Array(k * cols);
  for (let i = 0; i < k; i++) for (let j = 0; j < cols; j++) wt[j * k + i] = wd[i * cols + j]!;
  const perm = (p: number[]) => ({ attribute: [{ name: 'perm', type: 'ints' as const, ints: p }] });
  const p = add.output[0]!;
  const body = m.graph.node.filter((n) => n !== mm && n !== add);
  const at = m.graph.node.indexOf(mm);
  const tail = [
    node('Transpose', [mm.input[0]!], [`${p}_hT`], perm([1, 0])),
    node('Gemm', [`${w.name}_T`, `${p}_hT`, `${b.name}_col`], [`${p}_yT`]),
    node('Transpose', [`${p}_yT`], [p], perm([1, 0])),
  ];
  return withGraph(
    m,
    {
      node: [...body.slice(0, at), ...tail, ...body.slice(at)],
      initializer: [
        ...m.graph.initializer.filter((t) => t !== w && t !== b),
        { name: `${w.name}_T`, dims: [cols, k], dataType: OnnxDataType.FLOAT, rawData: rawOf(wt) },
        { name: `${b.name}_col`, dims: [cols, 1], dataType: OnnxDataType.FLOAT, rawData: b.rawData.slice() },
      ],
    },
    'transposed-last',
  );
}
