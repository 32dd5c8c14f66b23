import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, OnnxDecodeError } from './onnx-proto';
import { type GraphProto, type ModelProto, OnnxDataType, type TensorProto } from './onnx-types';
import { ProtoWriter } from './protobuf';

const f32Tensor = (name: string, dims: number[], values: number[]): TensorProto => ({
  name,
  dims,
  dataType: OnnxDataType.FLOAT,
  rawData: new Uint8Array(Float32Array.from(values).buffer),
});
const i64Tensor = (name: string, dims: number[], values: bigint[]): TensorProto => ({
  name,
  dims,
  dataType: OnnxDataType.INT64,
  rawData: new Uint8Array(BigInt64Array.from(values).buffer),
});

/** A Loop body: (iteration, condition, carried x) → (condition, relu(x)). */
const loopBody: GraphProto = {
  name: 'body',
  node: [
    { input: ['cond_in'], output: ['cond_out'], name: 'keep_going', opType: 'Identity', attribute: [] },
    { input: ['x_in'], output: ['x_out'], name: 'relu', opType: 'Relu', attribute: [] },
  ],
  initializer: [],
  input: [
    { name: 'iter', elemType: OnnxDataType.INT64, shape: [] },
    { name: 'cond_in', elemType: OnnxDataType.BOOL, shape: [] },
    { name: 'x_in', elemType: OnnxDataType.FLOAT, shape: ['N', 3] },
  ],
  output: [
    { name: 'cond_out', elemType: OnnxDataType.BOOL, shape: [] },
    { name: 'x_out', elemType: OnnxDataType.FLOAT, shape: ['N', 3] },
  ],
};

const model: ModelProto = {
  irVersion: 8,
  opsetImport: [
    { domain: '', version: 17 },
    { domain: 'com.example', version: 1 },
  ],
  producerName: 'vae-test',
  producerVersion: '0.0.0',
  domain: 'org.example',
  modelVersion: 3,
  docString: 'every attribute type ✓',
  metadataProps: [{ key: 'k', value: 'v' }],
  graph: {
    name: 'main',
    docString: 'graph doc',
    node: [
      { input: ['X', 'Y'], output: ['S'], name: 'add', opType: 'Add', attribute: [] },
      {
        input: ['M', '', 'S'],
        output: ['L'],
        name: 'loop',
        opType: 'Loop',
        attribute: [{ name: 'body', type: 'graph', g: loopBody }],
      },
      {
        input: ['L'],
        output: ['Z'],
        name: 'custom',
        opType: 'Everything',
        domain: 'com.example',
        docString: 'node doc',
        attribute: [
          { name: 'f', type: 'float', f: 0.25 },
          { name: 'neg_f', type: 'float', f: -0 },
          { name: 'i', type: 'int', i: -1 },
          { name: 'big_i', type: 'int', i: 2 ** 53 - 1 },
          { name: 's', type: 'string', s: 'héllo' },
          { name: 'empty_s', type: 'string', s: '' },
          { name: 't', type: 'tensor', t: f32Tensor('', [2], [1.5, -2]) },
          { name: 'g', type: 'graph', g: { ...loopBody, name: 'nested' } },
          { name: 'floats', type: 'floats', floats: [0.5, -1, 3] },
          { name: 'no_floats', type: 'floats', floats: [] },
          { name: 'ints', type: 'ints', ints: [0, -1, 128, 2 ** 40] },
          { name: 'strings', type: 'strings', strings: ['a', '', 'ü'] },
        ],
      },
    ],
    initializer: [
      i64Tensor('M', [], [3n]),
      f32Tensor('W', [3, 2], [1, 2, 3, 4, 5, 6]),
      i64Tensor('big', [2], [9223372036854775807n, -9223372036854775808n]),
      f32Tensor('empty', [0, 4], []),
    ],
    input: [
      { name: 'X', elemType: OnnxDataType.FLOAT, shape: ['N', 3] },
      { name: 'Y', elemType: OnnxDataType.FLOAT, shape: [1, 3] },
    ],
    output: [
      { name: 'Z', elemType: OnnxDataType.FLOAT, shape: ['N', '', 7] },
      { name: 'L', elemType: OnnxDataType.FLOAT },
    ],
    valueInfo: [{ name: 'S', elemType: OnnxDataType.FLOAT, shape: ['N', 3] }],
  },
};

/** Hand-built TensorProto bytes, as other tools write them (typed data fields instead of raw_data). */
const tensorBytes = (write: (w: ProtoWriter) => void): Uint8Array => {
  const w = new ProtoWriter();
  w.message(7, (graph) => graph.message(5, write));
  return w.finish();
};
const decodeTensor = (write: (w: ProtoWriter) => void): TensorProto =>
  decodeModel(tensorBytes(write)).graph.initializer[0]!;

/** Deterministic pseudo-random numbers for the corruption test. */
const lcg = (seed: number) => () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;

describe('encodeModel / decodeModel', () => {
  it('round-trips a model with every attribute type, a Loop body and all kinds of dims', () => {
    const bytes = encodeModel(model);
    const decoded = decodeModel(bytes);
    expect(decoded).toEqual(model);
    expect(encodeModel(decoded)).toEqual(bytes);
    // -0 survives as a float32 bit pattern, not just as ==0.
    const attr = decoded.graph.node[2]!.attribute[1]!;
    expect(attr.type === 'float' && Object.is(attr.f, -0)).toBe(true);
  });

  it('writes fields in onnx.proto order with the expected leading bytes', () => {
    const bytes = encodeModel(model);
    // ir_version = 8, then producer_name (field 2, LEN, 8 bytes) "vae-test".
    expect([...bytes.subarray(0, 4)]).toEqual([0x08, 8, 0x12, 8]);
    expect(new TextDecoder().decode(bytes.subarray(4, 12))).toBe('vae-test');
  });

  it('keeps int64 initializer values beyond 2^53 exact', () => {
    const big = decodeModel(encodeModel(model)).graph.initializer[2]!;
    expect([...new BigInt64Array(big.rawData.buffer)]).toEqual([9223372036854775807n, -9223372036854775808n]);
  });

  it('leaves optional fields out rather than undefined-valued', () => {
    const minimal: ModelProto = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: '',
      producerVersion: '',
      graph: { name: '', node: [], initializer: [], input: [], output: [] },
    };
    const decoded = decodeModel(encodeModel(minimal));
    expect(decoded).toStrictEqual(minimal);
  });
});

describe('typed tensor data from other tools', () => {
  it('converts packed and unpacked float_data to raw bytes', () => {
    const t = decodeTensor((w) => {
      w.varint(1, 3);
      w.varint(2, OnnxDataType.FLOAT);
      w.packedFloats(4, [1, -2.5]);
      w.float(4, 1e-3);
      w.string(8, 'w');
    });
    expect(t.name).toBe('w');
    expect(t.dims).toEqual([3]);
    expect([...new Float32Array(t.rawData.buffer)]).toEqual([1, -2.5, Math.fround(1e-3)]);
  });

  it('converts int32_data for int32, int8, bool and float16 by element size', () => {
    const ints = decodeTensor((w) => {
      w.varint(2, OnnxDataType.INT32);
      w.packedVarints(5, [-7, 2 ** 31 - 1]);
    });
    expect([...new Int32Array(ints.rawData.buffer)]).toEqual([-7, 2 ** 31 - 1]);
    const int8 = decodeTensor((w) => {
      w.varint(2, OnnxDataType.INT8);
      w.packedVarints(5, [-1, 127]);
    });
    expect([...new Int8Array(int8.rawData.buffer)]).toEqual([-1, 127]);
    const bools = decodeTensor((w) => {
      w.varint(2, OnnxDataType.BOOL);
      w.packedVarints(5, [1, 0, 1]);
    });
    expect([...bools.rawData]).toEqual([1, 0, 1]);
    const halfs = decodeTensor((w) => {
      w.varint(2, OnnxDataType.FLOAT16);
      w.packedVarints(5, [0x3c00, 0xc000]);
    });
    expect([...new Uint16Array(halfs.rawData.buffer)]).toEqual([0x3c00, 0xc000]);
  });

  it('converts int64_data and double_data', () => {
    const longs = decodeTensor((w) => {
      w.varint(2, OnnxDataType.INT64);
      w.packedVarints(7, [-1, 5]);
      w.varint(7, -(2 ** 40));
    });
    expect([...new BigInt64Array(longs.rawData.buffer)]).toEqual([-1n, 5n, -(2n ** 40n)]);
    const doubles = decodeTensor((w) => {
      w.varint(2, OnnxDataType.DOUBLE);
      const d = new Uint8Array(16);
      new DataView(d.buffer).setFloat64(0, Math.PI, true);
      new DataView(d.buffer).setFloat64(8, -0.5, true);
      w.bytes(10, d);
    });
    expect([...new Float64Array(doubles.rawData.buffer)]).toEqual([Math.PI, -0.5]);
  });

  it('reads INT64_MAX from int64_data exactly', () => {
    const bytes = tensorBytes((w) => w.varint(2, OnnxDataType.INT64));
    // Append one unpacked int64_data = INT64_MAX inside the tensor by rebuilding the lengths.
    const tensor = [...bytes.subarray(4), 0x38, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
    const graph = [0x2a, tensor.length, ...tensor];
    const t = decodeModel(Uint8Array.from([0x3a, graph.length, ...graph])).graph.initializer[0]!;
    expect([...new BigInt64Array(t.rawData.buffer)]).toEqual([9223372036854775807n]);
  });

  it('prefers raw_data and rejects external data and string tensors', () => {
    const t = decodeTensor((w) => {
      w.varint(2, OnnxDataType.UINT8);
      w.bytes(9, Uint8Array.of(4, 5));
    });
    expect([...t.rawData]).toEqual([4, 5]);
    expect(() => decodeTensor((w) => w.varint(14, 1))).toThrow(/external data/);
    expect(() => decodeTensor((w) => w.string(6, 'x'))).toThrow(/string tensors/);
  });
});

describe('malformed models', () => {
  const bytes = encodeModel(model);

  it('throws OnnxDecodeError (never anything else) for every truncation', () => {
    let failures = 0;
    for (let n = 0; n < bytes.length; n++) {
      try {
        decodeModel(bytes.subarray(0, n));
      } catch (e) {
        if (!(e instanceof OnnxDecodeError)) throw e;
        failures++;
      }
    }
    // Only cuts that drop whole trailing top-level fields after the graph decode at all.
    expect(failures).toBeGreaterThan(bytes.length - 40);
  });

  it('reports a truncated graph with its byte offset', () => {
    // The graph (field 7) starts at byte 60: its length prefix at 61 runs past a cut inside it.
    expect(bytes[60]).toBe(0x3a);
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 40))).toThrow(
      /^length \d+ runs past end at byte 61$/,
    );
    expect(() => decodeModel(new Uint8Array(0))).toThrow(new OnnxDecodeError('model has no graph', 0));
  });

  it('rejects a known field with the wrong wire type', () => {
    // ir_version (field 1) written as fixed32.
    expect(() => decodeModel(Uint8Array.of(0x0d, 0, 0, 0, 0))).toThrow(
      new OnnxDecodeError('wire type 5 where 0 was expected', 1),
    );
  });

  it('survives random corruption with either a model or an OnnxDecodeError', () => {
    const random = lcg(42);
    for (let trial = 0; trial < 2000; trial++) {
      const corrupt = bytes.slice();
      for (let k = 0; k < 1 + random() * 4; k++)
        corrupt[Math.floor(random() * corrupt.length)] = random() * 256;
      try {
        decodeModel(corrupt);
      } catch (e) {
        if (!(e instanceof OnnxDecodeError)) throw e;
      }
    }
  });
});
