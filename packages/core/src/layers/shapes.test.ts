import { describe, expect, it } from 'vitest';
import { convDecoder28, convEncoder28, mlp } from './presets';
import { outputShape, paramCount, paramShapes } from './shapes';
import { type LayerSpec, LayerSpecError } from './spec';
import { validate } from './validate';

const convEncoder = convEncoder28(40);
const convDecoder = convDecoder28(20);
const upsampleDecoder: LayerSpec = {
  type: 'sequential',
  layers: [
    { type: 'dense', in: 20, out: 64 * 7 * 7 },
    { type: 'reshape', shape: [64, 7, -1] },
    { type: 'upsample', scale: 2 },
    { type: 'conv2d', inChannels: 64, outChannels: 32, kernel: 3, padding: 1 },
    { type: 'activation', fn: 'leakyRelu', alpha: 0.2 },
    { type: 'upsample', scale: [2, 2] },
    { type: 'conv2d', inChannels: 32, outChannels: 1, kernel: 3, padding: 1 },
  ],
};

describe('paramCount, paramShapes, outputShape', () => {
  it('counts known architectures', () => {
    expect(paramCount(mlp([784, 400, 20]))).toBe(784 * 400 + 400 + 400 * 20 + 20);
    expect(paramCount(mlp([784, 512, 256, 32]))).toBe(784 * 512 + 512 + 512 * 256 + 256 + 256 * 32 + 32);
    expect(paramCount(convEncoder)).toBe(32 * 16 + 32 + (64 * 32 * 16 + 64) + (3136 * 40 + 40));
    expect(paramCount(convDecoder)).toBe(20 * 3136 + 3136 + (64 * 32 * 16 + 32) + (32 * 16 + 1));
    expect(paramCount({ type: 'dense', in: 3, out: 2, bias: false })).toBe(6);
    expect(paramCount({ type: 'conv2d', inChannels: 4, outChannels: 6, kernel: [3, 1], groups: 2 })).toBe(
      6 * 2 * 3 + 6,
    );
    expect(paramCount({ type: 'batchNorm', channels: 8 })).toBe(16); // running stats are buffers
    expect(paramCount({ type: 'layerNorm', shape: [4, 5] })).toBe(40);
  });

  it('names parameters by path, weights in [in, out] / ONNX layouts', () => {
    const spec: LayerSpec = {
      type: 'sequential',
      layers: [
        mlp([6, 5, 4]),
        { type: 'residual', body: { type: 'dense', in: 4, out: 4 } },
        { type: 'batchNorm', channels: 4 },
      ],
    };
    expect(paramShapes(spec, 'enc')).toEqual({
      'enc.0.0.weight': [6, 5],
      'enc.0.0.bias': [5],
      'enc.0.2.weight': [5, 4],
      'enc.0.2.bias': [4],
      'enc.1.body.weight': [4, 4],
      'enc.1.body.bias': [4],
      'enc.2.weight': [4],
      'enc.2.bias': [4],
      'enc.2.running_mean': [4],
      'enc.2.running_var': [4],
    });
    expect(Object.keys(paramShapes(spec, '', { trainableOnly: true }))).not.toContain('2.running_var');
    expect(
      paramShapes({ type: 'convTranspose2d', inChannels: 8, outChannels: 6, kernel: 3, groups: 2 }),
    ).toEqual({
      weight: [8, 3, 3, 3],
      bias: [6],
    });
  });

  it('propagates shapes with the symbolic batch dim N', () => {
    expect(outputShape(mlp([784, 400, 20]), ['N', 784])).toEqual(['N', 20]);
    expect(outputShape(convEncoder, ['N', 1, 28, 28])).toEqual(['N', 40]);
    expect(outputShape(convDecoder, ['N', 20])).toEqual(['N', 1, 28, 28]);
    expect(outputShape(upsampleDecoder, ['N', 20])).toEqual(['N', 1, 28, 28]);
    expect(outputShape(convDecoder28(8, { upsample: true }), ['N', 8])).toEqual(['N', 1, 28, 28]);
    const strided: LayerSpec = {
      type: 'conv2d',
      inChannels: 3,
      outChannels: 8,
      kernel: [3, 5],
      stride: [2, 1],
      dilation: 2,
    };
    expect(outputShape(strided, [7, 3, 16, 16])).toEqual([7, 8, 6, 8]);
    const up: LayerSpec = {
      type: 'convTranspose2d',
      inChannels: 8,
      outChannels: 4,
      kernel: 3,
      stride: 2,
      padding: 1,
      outputPadding: 1,
    };
    expect(outputShape(up, ['N', 8, 7, 7])).toEqual(['N', 4, 14, 14]);
    expect(outputShape({ type: 'layerNorm', shape: [5] }, ['N', 3, 5])).toEqual(['N', 3, 5]);
  });

  it('specs survive JSON.stringify / JSON.parse', () => {
    for (const spec of [convEncoder, convDecoder, upsampleDecoder, mlp([10, 8, 2], 'tanh')]) {
      const back = JSON.parse(JSON.stringify(spec)) as LayerSpec;
      expect(back).toEqual(spec);
      validate(back);
      expect(paramShapes(back, 'x')).toEqual(paramShapes(spec, 'x'));
    }
  });
});

describe('LayerSpecError names the layer and the problem', () => {
  const err = (f: () => unknown): LayerSpecError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(LayerSpecError);
      return e as LayerSpecError;
    }
    throw new Error('did not throw');
  };

  it('input does not fit', () => {
    const e = err(() => outputShape(mlp([784, 400, 20]), ['N', 400], 'enc'));
    expect(e.path).toBe('enc.0');
    expect(e.message).toBe('layer enc.0 (dense): in=784 but input has 400 features [N, 400]');
    expect(err(() => outputShape(convEncoder, ['N', 3, 28, 28])).message).toMatch(
      /0 \(conv2d\): inChannels=1 but input has 3 channels/,
    );
    expect(err(() => outputShape(convEncoder, ['N', 784])).message).toMatch(/needs a 4-D NCHW input/);
    expect(err(() => outputShape(convEncoder, ['N', 1, 32, 32])).message).toMatch(
      /layer 5 \(dense\): in=3136 but input has 4096/,
    );
    expect(err(() => outputShape({ type: 'reshape', shape: [7, 7] }, ['N', 50])).message).toMatch(
      /cannot reshape \[50\]/,
    );
    expect(
      err(() => outputShape({ type: 'residual', body: { type: 'dense', in: 4, out: 3 } }, ['N', 4])).message,
    ).toMatch(/residual\): body maps \[N, 4\] to \[N, 3\]/);
    expect(
      err(() => outputShape({ type: 'conv2d', inChannels: 1, outChannels: 1, kernel: 5 }, [1, 1, 3, 3]))
        .message,
    ).toMatch(/empty/);
    expect(err(() => outputShape({ type: 'batchNorm', channels: 3 }, ['N', 4, 2, 2])).message).toMatch(
      /channels=3/,
    );
    expect(err(() => outputShape({ type: 'layerNorm', shape: [3] }, ['N', 4])).message).toMatch(
      /trailing dims \[3\]/,
    );
  });

  it('bad specs', () => {
    const bad = (spec: unknown, re: RegExp) =>
      expect(err(() => validate(spec as LayerSpec, 'm')).message).toMatch(re);
    bad({ type: 'dense', in: 0, out: 3 }, /m \(dense\): in must be an integer >= 1, got 0/);
    bad({ type: 'dense', in: 2.5, out: 3 }, /in must be an integer/);
    bad({ type: 'dense', in: 2, out: 3, init: 'xavier' }, /init must be torch, glorot or he/);
    bad({ type: 'conv2d', inChannels: 3, outChannels: 4, kernel: 3, groups: 2 }, /groups=2 must divide/);
    bad({ type: 'conv2d', inChannels: 3, outChannels: 4, kernel: [3, 3, 3] }, /kernel must be/);
    bad(
      { type: 'convTranspose2d', inChannels: 3, outChannels: 4, kernel: 3, outputPadding: 1 },
      /outputPadding must be smaller/,
    );
    bad({ type: 'activation', fn: 'gelu' }, /unknown activation fn "gelu"/);
    bad({ type: 'activation', fn: 'relu', alpha: 0.1 }, /alpha applies only/);
    bad({ type: 'dropout', rate: 1.5 }, /rate must be in \[0, 1\]/);
    bad({ type: 'reshape', shape: [-1, -1] }, /at most one -1/);
    bad({ type: 'transformer' }, /m \(transformer\): unknown layer type/);
    bad({ type: 'lstm', inputSize: 2 }, /m \(lstm\): hiddenSize must be an integer/);
    bad(null, /a layer spec must be an object/);
    bad(
      { type: 'sequential', layers: [{ type: 'flatten' }, { type: 'dense', in: 1 }] },
      /layer m.1 \(dense\): out must be/,
    );
    bad({ type: 'residual', body: { type: 'upsample', scale: 0 } }, /m.body \(upsample\): scale/);
  });
});
