/**
 * Independent oracle: the reference `onnx` Python package reads what encodeModel writes, and
 * decodeModel reads what `onnx.helper` writes (typed data fields rather than raw_data).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from './onnx-proto';
import { type GraphProto, type ModelProto, OnnxDataType, type TensorProto } from './onnx-types';

const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'vae-onnx-oracle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a Python snippet (argv[1..] = args) and parses the JSON it prints; fails loudly without onnx. */
function python(script: string, ...args: string[]): unknown {
  const probe = spawnSync(PYTHON, ['-c', 'import onnx, numpy'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${PYTHON} cannot import onnx (${probe.error?.message ?? probe.stderr.trim()}): install Debian package python3-onnx`,
    );
  }
  const run = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

const f32Tensor = (name: string, dims: number[], values: number[]): TensorProto => ({
  name,
  dims,
  dataType: OnnxDataType.FLOAT,
  rawData: new Uint8Array(Float32Array.from(values).buffer),
});

/** Loop body: (iteration, condition, carried x) → (condition, relu(x)). */
const body: GraphProto = {
  name: 'body',
  node: [
    { input: ['cond_in'], output: ['cond_out'], name: 'keep_going', opType: 'Identity', attribute: [] },
    { input: ['x_in'], output: ['x_out'], name: 'relu', opType: 'Relu', attribute: [] },
  ],
  initializer: [],
  input: [
    { name: 'iter', elemType: OnnxDataType.INT64, shape: [] },
    { name: 'cond_in', elemType: OnnxDataType.BOOL, shape: [] },
    { name: 'x_in', elemType: OnnxDataType.FLOAT, shape: ['N', 2] },
  ],
  output: [
    { name: 'cond_out', elemType: OnnxDataType.BOOL, shape: [] },
    { name: 'x_out', elemType: OnnxDataType.FLOAT, shape: ['N', 2] },
  ],
};

/** out = Concat(LeakyRelu(Loop³(relu)((X + Y) @ W)), axis=-1) — valid for onnx's full checker. */
const model: ModelProto = {
  irVersion: 8,
  opsetImport: [
    { domain: '', version: 17 },
    { domain: 'com.example', version: 1 },
  ],
  producerName: 'vae-test',
  producerVersion: '1.2.3',
  graph: {
    name: 'oracle',
    node: [
      { input: ['X', 'Y'], output: ['S'], name: 'add', opType: 'Add', attribute: [] },
      { input: ['S', 'W'], output: ['P'], name: 'matmul', opType: 'MatMul', attribute: [] },
      {
        input: ['M', '', 'P'],
        output: ['L'],
        name: 'loop',
        opType: 'Loop',
        attribute: [{ name: 'body', type: 'graph', g: body }],
      },
      {
        input: ['L'],
        output: ['R'],
        name: 'leaky',
        opType: 'LeakyRelu',
        attribute: [{ name: 'alpha', type: 'float', f: 0.25 }],
      },
      {
        input: ['R', 'R'],
        output: ['out'],
        name: 'concat',
        opType: 'Concat',
        attribute: [{ name: 'axis', type: 'int', i: -1 }],
      },
      {
        // Not an ONNX op: exercises every attribute type; the checker accepts ops in other domains.
        input: ['out'],
        output: ['unused'],
        name: 'custom',
        opType: 'Everything',
        domain: 'com.example',
        attribute: [
          { name: 'f', type: 'float', f: -1.5 },
          { name: 'i', type: 'int', i: 2 ** 53 - 1 },
          { name: 's', type: 'string', s: 'héllo' },
          { name: 't', type: 'tensor', t: f32Tensor('t', [2], [0.25, -4]) },
          { name: 'g', type: 'graph', g: { ...body, name: 'nested' } },
          { name: 'floats', type: 'floats', floats: [0.5, -1, 3] },
          { name: 'ints', type: 'ints', ints: [0, -1, 128, -(2 ** 40)] },
          { name: 'strings', type: 'strings', strings: ['a', '', 'ü'] },
        ],
      },
    ],
    initializer: [
      f32Tensor('W', [3, 2], [0.5, -1, 1.5, 2, -2.5, 3]),
      {
        name: 'M',
        dims: [],
        dataType: OnnxDataType.INT64,
        rawData: new Uint8Array(BigInt64Array.of(3n).buffer),
      },
    ],
    input: [
      { name: 'X', elemType: OnnxDataType.FLOAT, shape: ['N', 3] },
      { name: 'Y', elemType: OnnxDataType.FLOAT, shape: ['N', 3] },
    ],
    output: [{ name: 'out', elemType: OnnxDataType.FLOAT, shape: ['N', 4] }],
  },
};

const READ_BACK = `
import json, sys, onnx
from onnx import helper, numpy_helper
path = sys.argv[1]
data = open(path, 'rb').read()
m = onnx.load(path)
onnx.checker.check_model(m, full_check=True)
dims = lambda v: [d.dim_param if d.HasField('dim_param') else d.dim_value for d in v.type.tensor_type.shape.dim]
vi = lambda v: {'name': v.name, 'elem': v.type.tensor_type.elem_type, 'dims': dims(v)}
def attr(a):
    v = helper.get_attribute_value(a)
    if a.type == onnx.AttributeProto.STRING: v = v.decode()
    if a.type == onnx.AttributeProto.STRINGS: v = [x.decode() for x in v]
    if a.type == onnx.AttributeProto.TENSOR: v = numpy_helper.to_array(v).tolist()
    return {'name': a.name, 'type': a.type, 'value': graph(v) if a.type == onnx.AttributeProto.GRAPH else v}
def graph(g):
    return {
        'name': g.name,
        'nodes': [{'name': n.name, 'op': n.op_type, 'in': list(n.input), 'out': list(n.output),
                   'attrs': [attr(a) for a in n.attribute]} for n in g.node],
        'inputs': [vi(v) for v in g.input], 'outputs': [vi(v) for v in g.output],
        'inits': [{'name': t.name, 'dims': list(t.dims), 'type': t.data_type,
                   'values': numpy_helper.to_array(t).flatten().tolist()} for t in g.initializer],
    }
print(json.dumps({
    'ir': m.ir_version, 'opset': [[o.domain, o.version] for o in m.opset_import],
    'producer': [m.producer_name, m.producer_version], 'graph': graph(m.graph),
    'same_bytes': m.SerializeToString() == data,
}))
`;

const WRITE_WITH_HELPER = `
import sys, onnx, numpy as np
from onnx import helper, TensorProto as T
inits = [
    helper.make_tensor('w', T.FLOAT, [2, 2], [1.0, -2.0, 0.5, 3.25]),
    helper.make_tensor('idx', T.INT64, [3], [-1, 2**62, 9223372036854775807]),
    helper.make_tensor('i32', T.INT32, [2], [-7, 2**31 - 1]),
    helper.make_tensor('mask', T.BOOL, [3], [True, False, True]),
    helper.make_tensor('half', T.FLOAT16, [2], np.array([1.0, -2.0], dtype=np.float16)),
    helper.make_tensor('dbl', T.DOUBLE, [1], [0.1]),
]
assert not any(t.HasField('raw_data') for t in inits)
node = helper.make_node('Gemm', ['x', 'w'], ['y'], name='gemm', alpha=0.5, transB=1, doc_string='d')
graph = helper.make_graph([node], 'helper_graph', [helper.make_tensor_value_info('x', T.FLOAT, ['batch', 2])],
    [helper.make_tensor_value_info('y', T.FLOAT, [None, 2])], initializer=inits,
    value_info=[helper.make_tensor_sequence_value_info('seq', T.FLOAT, None)])
m = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17)], producer_name='onnx.helper',
    model_version=5, doc_string='from python')
m.ir_version = 8
helper.set_model_props(m, {'author': 'oracle'})
onnx.save(m, sys.argv[1])
print('{}')
`;

describe('python onnx as an independent oracle', () => {
  it('onnx.load + check_model(full_check) accept encodeModel output and read back the same model', () => {
    const path = join(dir, 'ours.onnx');
    writeFileSync(path, encodeModel(model));
    const read = python(READ_BACK, path) as Record<string, unknown>;
    const vi = (name: string, dims: (string | number)[], elem: number = OnnxDataType.FLOAT) => ({
      name,
      elem,
      dims,
    });
    const node = (name: string, op: string, inputs: string[], out: string[], attrs: unknown[] = []) => ({
      name,
      op,
      in: inputs,
      out,
      attrs,
    });
    const bodyView = (name: string) => ({
      name,
      nodes: [
        node('keep_going', 'Identity', ['cond_in'], ['cond_out']),
        node('relu', 'Relu', ['x_in'], ['x_out']),
      ],
      inputs: [
        vi('iter', [], OnnxDataType.INT64),
        vi('cond_in', [], OnnxDataType.BOOL),
        vi('x_in', ['N', 2]),
      ],
      outputs: [vi('cond_out', [], OnnxDataType.BOOL), vi('x_out', ['N', 2])],
      inits: [],
    });
    expect(read).toEqual({
      ir: 8,
      opset: [
        ['', 17],
        ['com.example', 1],
      ],
      producer: ['vae-test', '1.2.3'],
      same_bytes: true, // our bytes are exactly what protobuf itself serializes for this message
      graph: {
        name: 'oracle',
        nodes: [
          node('add', 'Add', ['X', 'Y'], ['S']),
          node('matmul', 'MatMul', ['S', 'W'], ['P']),
          node('loop', 'Loop', ['M', '', 'P'], ['L'], [{ name: 'body', type: 5, value: bodyView('body') }]),
          node('leaky', 'LeakyRelu', ['L'], ['R'], [{ name: 'alpha', type: 1, value: 0.25 }]),
          node('concat', 'Concat', ['R', 'R'], ['out'], [{ name: 'axis', type: 2, value: -1 }]),
          node(
            'custom',
            'Everything',
            ['out'],
            ['unused'],
            [
              { name: 'f', type: 1, value: -1.5 },
              { name: 'i', type: 2, value: 2 ** 53 - 1 },
              { name: 's', type: 3, value: 'héllo' },
              { name: 't', type: 4, value: [0.25, -4] },
              { name: 'g', type: 5, value: bodyView('nested') },
              { name: 'floats', type: 6, value: [0.5, -1, 3] },
              { name: 'ints', type: 7, value: [0, -1, 128, -(2 ** 40)] },
              { name: 'strings', type: 8, value: ['a', '', 'ü'] },
            ],
          ),
        ],
        inputs: [vi('X', ['N', 3]), vi('Y', ['N', 3])],
        outputs: [vi('out', ['N', 4])],
        inits: [
          { name: 'W', dims: [3, 2], type: OnnxDataType.FLOAT, values: [0.5, -1, 1.5, 2, -2.5, 3] },
          { name: 'M', dims: [], type: OnnxDataType.INT64, values: [3] },
        ],
      },
    });
  });

  it('decodeModel reads a model that onnx.helper wrote with typed (non-raw) tensor data', () => {
    const path = join(dir, 'helper.onnx');
    python(WRITE_WITH_HELPER, path);
    const m = decodeModel(new Uint8Array(readFileSync(path)));
    expect(m).toMatchObject({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'onnx.helper',
      modelVersion: 5,
      docString: 'from python',
      metadataProps: [{ key: 'author', value: 'oracle' }],
    });
    const g = m.graph;
    expect(g.name).toBe('helper_graph');
    expect(g.node).toEqual([
      {
        input: ['x', 'w'],
        output: ['y'],
        name: 'gemm',
        opType: 'Gemm',
        docString: 'd',
        attribute: [
          { name: 'alpha', type: 'float', f: 0.5 },
          { name: 'transB', type: 'int', i: 1 },
        ],
      },
    ]);
    expect(g.input).toEqual([{ name: 'x', elemType: OnnxDataType.FLOAT, shape: ['batch', 2] }]);
    expect(g.output).toEqual([{ name: 'y', elemType: OnnxDataType.FLOAT, shape: ['', 2] }]);
    expect(g.valueInfo).toEqual([]); // the sequence-typed entry cannot be represented and is dropped
    const init = Object.fromEntries(g.initializer.map((t) => [t.name, t]));
    const view = <A>(name: string, Ctor: new (b: ArrayBuffer) => A): A =>
      new Ctor(init[name]!.rawData.buffer as ArrayBuffer);
    expect(init.w).toMatchObject({ dims: [2, 2], dataType: OnnxDataType.FLOAT });
    expect([...view('w', Float32Array)]).toEqual([1, -2, 0.5, 3.25]);
    expect([...view('idx', BigInt64Array)]).toEqual([-1n, 2n ** 62n, 9223372036854775807n]);
    expect([...view('i32', Int32Array)]).toEqual([-7, 2 ** 31 - 1]);
    expect([...view('mask', Uint8Array)]).toEqual([1, 0, 1]);
    expect([...view('half', Uint16Array)]).toEqual([0x3c00, 0xc000]);
    expect([...view('dbl', Float64Array)]).toEqual([0.1]);
  });
});
