import { USER_ERROR } from '../errors/user-error';
import type { HostTensor } from '../ir/dtype';
import { IRError } from '../ir/errors';
import { Graph } from '../ir/graph';
import { type Attrs, type AttrValue, isOpName, ops } from '../ir/ops';
import type { Tensor } from '../ir/tensor';
import { decodeModel } from './onnx-proto';
import type { AttributeProto, GraphProto, ModelProto } from './onnx-types';
import { dtypeOf, fromTensorProto } from './tensor-proto';

/** An ONNX file that uses something this reader cannot map to the IR. */
export class OnnxImportError extends IRError {
  override name = 'OnnxImportError';
  /** User-facing: the message says what in the file cannot be read. */
  get [USER_ERROR](): true {
    return true;
  }
}

export interface ImportedModel {
  model: ModelProto;
  graph: Graph;
  /** Graph outputs by ONNX name. */
  outputs: Record<string, Tensor>;
  /** Initializers (weights) by name; in the graph they are constants. */
  initializers: Record<string, HostTensor>;
  opset: number;
}

type Scope = Map<string, Tensor>;

function lookup(scopes: readonly Scope[], name: string, where: string): Tensor {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const t = scopes[i]!.get(name);
    if (t) return t;
  }
  throw new OnnxImportError(`${where}: input ${name} is not defined before use`);
}

function attrValue(a: AttributeProto, readGraph: (g: GraphProto) => Graph): AttrValue {
  switch (a.type) {
    case 'int':
      return a.i;
    case 'float':
      return a.f;
    case 'ints':
      return a.ints;
    case 'floats':
      return a.floats;
    case 'string':
      return a.s;
    case 'tensor':
      return fromTensorProto(a.t);
    case 'graph':
      return readGraph(a.g);
    case 'strings':
      throw new OnnxImportError(`attribute ${a.name}: string lists are not supported`);
  }
}

function readGraph(
  gp: GraphProto,
  graph: Graph,
  scopes: Scope[],
  initializers: Record<string, HostTensor>,
): Record<string, Tensor> {
  const scope: Scope = new Map();
  scopes.push(scope);
  for (const init of gp.initializer) {
    const value = fromTensorProto(init);
    initializers[init.name] = value;
    scope.set(init.name, graph.constant(value));
  }
  for (const vi of gp.input) {
    if (scope.has(vi.name)) continue; // an initializer listed as input too (older exporters)
    if (!vi.shape) throw new OnnxImportError(`input ${vi.name}: rank must be known`);
    scope.set(
      vi.name,
      graph.input(
        vi.name,
        vi.shape.map((d) => (d === '' ? 'N' : d)),
        dtypeOf(vi.elemType, vi.name),
      ),
    );
  }
  for (const np of gp.node) {
    const where = `node ${np.name || np.opType}`;
    if ((np.domain ?? '') !== '' && np.domain !== 'ai.onnx')
      throw new OnnxImportError(`${where}: domain ${np.domain} is not supported`);
    if (!isOpName(np.opType)) throw new OnnxImportError(`${where}: op ${np.opType} is not in the IR`);
    const specs = ops[np.opType].attrs as Record<string, unknown>;
    const attrs: Record<string, AttrValue> = {};
    for (const a of np.attribute) {
      if (!(a.name in specs)) throw new OnnxImportError(`${where}: attribute ${a.name} is not supported`);
      attrs[a.name] = attrValue(a, (sub) => {
        const body = new Graph(sub.name, graph);
        const outs = readGraph(sub, body, scopes, initializers);
        body.outputs = sub.output.map((o) => outs[o.name]!);
        return body;
      });
    }
    const inputs = np.input.map((name) => (name === '' ? null : lookup(scopes, name, where)));
    const outs = graph.apply(np.opType, inputs, attrs as Attrs);
    np.output.forEach((name, i) => {
      if (name !== '' && outs[i]) scope.set(name, outs[i]);
    });
  }
  const result: Record<string, Tensor> = {};
  for (const o of gp.output) result[o.name] = lookup(scopes, o.name, `graph output ${o.name}`);
  scopes.pop();
  return result;
}

/**
 * Reads an ONNX model back into the IR (models written by this project, and others that use
 * only IR ops at opset 17): shapes are re-inferred, so a graph that does not type-check fails here.
 */
export function fromOnnx(bytes: Uint8Array): ImportedModel {
  const model = decodeModel(bytes);
  const opset = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
  if (opset === undefined) throw new OnnxImportError('model imports no default-domain opset');
  if (opset < 13 || opset > 17) throw new OnnxImportError(`opset ${opset} is not supported (13..17)`);
  const graph = new Graph(model.graph.name || 'main');
  const initializers: Record<string, HostTensor> = {};
  const outputs = readGraph(model.graph, graph, [], initializers);
  return { model, graph, outputs, initializers, opset };
}
