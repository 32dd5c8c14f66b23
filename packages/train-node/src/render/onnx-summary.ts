/** What an ONNX file holds, read with core's protobuf codec (no onnxruntime, no IR import needed). */
import { decodeModel, type GraphProto, type ModelProto, OnnxDataType, type ValueInfoProto } from '@vae/core';
import { UsageError } from './errors';

/** A graph input or output: name, element type and shape (symbolic dims by name, `?` unknown). */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: string;
  /** null when the file does not state the rank. */
  readonly shape: readonly (number | string)[] | null;
}

/** Weights stored in the file (initializers). */
export interface WeightStats {
  readonly count: number;
  /** Elements (parameters). */
  readonly parameters: number;
  /** Bytes of stored data. */
  readonly bytes: number;
  /** Elements per stored element type, e.g. `{ float32: 12544 }`. */
  readonly byDtype: Readonly<Record<string, number>>;
}

/** A summary of one ONNX model. */
export interface OnnxSummary {
  readonly fileBytes: number;
  readonly irVersion: number;
  /** Opset of the default ONNX domain (null when not imported). */
  readonly opset: number | null;
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly producer: string;
  readonly graphName: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Nodes, sub-graphs (Loop bodies) included. */
  readonly nodes: number;
  /** Op histogram, most frequent first (ties by name). */
  readonly ops: readonly (readonly [string, number])[];
  /** Initializers that some node (or a graph output) reads. */
  readonly weights: WeightStats;
  /** Initializers nothing reads (e.g. the encoder's weights left in a decoder file). */
  readonly unused: WeightStats;
  readonly metadata: Readonly<Record<string, string>>;
}

const DTYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(OnnxDataType).map(([name, code]) => [
    code,
    name === 'FLOAT' ? 'float32' : name.toLowerCase(),
  ]),
);
const dtypeName = (code: number) => DTYPE_NAMES[code] ?? `type${code}`;

const tensorInfo = (v: ValueInfoProto): TensorInfo => ({
  name: v.name,
  dtype: dtypeName(v.elemType),
  shape: v.shape ? v.shape.map((d) => (d === '' ? '?' : d)) : null,
});

/** Counts nodes and ops of a graph and its sub-graphs; collects every name read. */
function walk(g: GraphProto, ops: Map<string, number>, reads: Set<string>): number {
  let nodes = 0;
  for (const n of g.node) {
    nodes++;
    const op = n.domain ? `${n.domain}.${n.opType}` : n.opType;
    ops.set(op, (ops.get(op) ?? 0) + 1);
    for (const i of n.input) if (i) reads.add(i);
    for (const a of n.attribute) if (a.type === 'graph') nodes += walk(a.g, ops, reads);
  }
  for (const o of g.output) reads.add(o.name);
  return nodes;
}

function stats(list: ModelProto['graph']['initializer']): WeightStats {
  const byDtype: Record<string, number> = {};
  let parameters = 0;
  let bytes = 0;
  for (const t of list) {
    const n = t.dims.reduce((a, d) => a * d, 1);
    parameters += n;
    bytes += t.rawData.byteLength;
    const k = dtypeName(t.dataType);
    byDtype[k] = (byDtype[k] ?? 0) + n;
  }
  return { count: list.length, parameters, bytes, byDtype };
}

/**
 * Decodes ONNX bytes and summarises them: opset, inputs / outputs with shapes, op histogram,
 * parameter count and bytes of the initializers.
 * @param where - names the file in error messages
 * @throws UsageError when the bytes are not an ONNX model this reader understands
 */
export function summarizeOnnx(bytes: Uint8Array, where: string): OnnxSummary {
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    throw new UsageError(`${where} is not a readable ONNX model: ${(e as Error).message}`);
  }
  if (!model.graph || model.irVersion === 0 || model.opsetImport.length === 0)
    throw new UsageError(`${where} is not an ONNX model (no graph, IR version or opset)`);
  const ops = new Map<string, number>();
  const reads = new Set<string>();
  const nodes = walk(model.graph, ops, reads);
  const inits = model.graph.initializer;
  const initNames = new Set(inits.map((t) => t.name));
  return {
    fileBytes: bytes.byteLength,
    irVersion: model.irVersion,
    opset: model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? null,
    opsets: model.opsetImport.map((o) => ({ domain: o.domain, version: o.version })),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    graphName: model.graph.name,
    // Older exporters list initializers as inputs too; they are weights, not inputs.
    inputs: model.graph.input.filter((v) => !initNames.has(v.name)).map(tensorInfo),
    outputs: model.graph.output.map(tensorInfo),
    nodes,
    ops: [...ops].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    weights: stats(inits.filter((t) => reads.has(t.name))),
    unused: stats(inits.filter((t) => !reads.has(t.name))),
    metadata: Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key, p.value])),
  };
}

/** `[N, 784]`: a shape for people. */
export const formatDims = (shape: TensorInfo['shape']) => (shape ? `[${shape.join(', ')}]` : '[?]');

/** 12345 -> `12.1 KiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** Lines describing one model, indented by `pad`. */
export function formatOnnxSummary(s: OnnxSummary, title: string, pad = ''): string[] {
  const io = (t: TensorInfo) => `${t.name} ${t.dtype} ${formatDims(t.shape)}`;
  const dt = Object.entries(s.weights.byDtype)
    .map(([k, v]) => (Object.keys(s.weights.byDtype).length > 1 ? `${k} ${v.toLocaleString('en-US')}` : k))
    .join(', ');
  const lines = [
    `${title} (${formatBytes(s.fileBytes)})`,
    `  ONNX IR ${s.irVersion}, opset ${s.opset ?? 'none'}${s.producer ? `, producer ${s.producer}` : ''}, graph "${s.graphName}"`,
    `  inputs:  ${s.inputs.map(io).join('; ') || '(none)'}`,
    `  outputs: ${s.outputs.map(io).join('; ') || '(none)'}`,
    `  nodes:   ${s.nodes} (${s.ops.map(([op, n]) => `${op} ${n}`).join(', ')})`,
    `  weights: ${s.weights.parameters.toLocaleString('en-US')} parameters in ${s.weights.count} initializers, ${formatBytes(s.weights.bytes)}${dt ? ` (${dt})` : ''}`,
  ];
  if (s.unused.count)
    lines.push(
      `  unused:  ${s.unused.count} initializers nothing reads (${s.unused.parameters.toLocaleString('en-US')} parameters, ${formatBytes(s.unused.bytes)})`,
    );
  return lines.map((l) => pad + l);
}
