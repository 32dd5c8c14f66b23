import { convOutLength, convTransposeOutLength, window2d } from './conv-params';
import { ShapeError } from './errors';
import { type Dim, formatShape, normAxis } from './shape';
import { intAttr, knownValues, req, type ShapeRule, type TensorMeta } from './shape-util';

function nchw(op: string, x: TensorMeta): [Dim, number, number, number] {
  const [n, c, h, w] = x.shape;
  if (x.shape.length !== 4 || typeof c !== 'number' || typeof h !== 'number' || typeof w !== 'number') {
    throw new ShapeError(op, `input must be 4-D NCHW with static C, H, W; got ${formatShape(x.shape)}`);
  }
  return [n!, c, h, w];
}

function staticShape(op: string, m: TensorMeta, what: string): number[] {
  if (!m.shape.every((d) => typeof d === 'number'))
    throw new ShapeError(op, `${what} must have a static shape`);
  return m.shape as number[];
}

function checkBias(op: string, b: TensorMeta | null | undefined, channels: number): void {
  if (b && (b.shape.length !== 1 || b.shape[0] !== channels)) {
    throw new ShapeError(op, `bias must be [${channels}], got ${formatShape(b.shape)}`);
  }
}

function positive(op: string, dims: [number, number], x: TensorMeta): [number, number] {
  if (dims[0] < 1 || dims[1] < 1)
    throw new ShapeError(op, `output would be empty for input ${formatShape(x.shape)}`);
  return dims;
}

const pool =
  (op: string): ShapeRule =>
  (ins, a) => {
    const x = req(op, ins, 0);
    const [n, c, h, w] = nchw(op, x);
    const p = window2d(op, a);
    const ceil = intAttr(a, 'ceil_mode') === 1;
    const [oh, ow] = positive(
      op,
      [
        convOutLength(h, p.kernel[0], p.strides[0], p.dilations[0], p.pads[0], p.pads[2], ceil),
        convOutLength(w, p.kernel[1], p.strides[1], p.dilations[1], p.pads[1], p.pads[3], ceil),
      ],
      x,
    );
    return [{ dtype: x.dtype, shape: [n, c, oh, ow] }];
  };

export const convShapeRules = {
  Conv: ((ins, a) => {
    const [x, wt] = [req('Conv', ins, 0), req('Conv', ins, 1)];
    const [n, c, h, w] = nchw('Conv', x);
    const ws = staticShape('Conv', wt, 'weight');
    if (ws.length !== 4)
      throw new ShapeError('Conv', `weight must be [M, C/group, kH, kW], got ${formatShape(ws)}`);
    const p = window2d('Conv', a, ws.slice(2));
    if (ws[1]! * p.group !== c || ws[0]! % p.group !== 0) {
      throw new ShapeError(
        'Conv',
        `weight ${formatShape(ws)} with group ${p.group} does not fit input ${formatShape(x.shape)}`,
      );
    }
    checkBias('Conv', ins[2], ws[0]!);
    const oh = convOutLength(h, p.kernel[0], p.strides[0], p.dilations[0], p.pads[0], p.pads[2]);
    const ow = convOutLength(w, p.kernel[1], p.strides[1], p.dilations[1], p.pads[1], p.pads[3]);
    return [{ dtype: x.dtype, shape: [n, ws[0]!, ...positive('Conv', [oh, ow], x)] }];
  }) satisfies ShapeRule,
  ConvTranspose: ((ins, a) => {
    const [x, wt] = [req('ConvTranspose', ins, 0), req('ConvTranspose', ins, 1)];
    const [n, c, h, w] = nchw('ConvTranspose', x);
    const ws = staticShape('ConvTranspose', wt, 'weight');
    const p = window2d('ConvTranspose', a, ws.slice(2));
    if (ws.length !== 4 || ws[0] !== c) {
      throw new ShapeError(
        'ConvTranspose',
        `weight must be [C=${c}, M/group, kH, kW], got ${formatShape(ws)}`,
      );
    }
    if ((a.output_shape as readonly number[] | undefined)?.length) {
      throw new ShapeError('ConvTranspose', 'output_shape is not supported; give pads and output_padding');
    }
    const op = (a.output_padding as readonly number[] | undefined) ?? [0, 0];
    const m = ws[1]! * p.group;
    checkBias('ConvTranspose', ins[2], m);
    const oh = convTransposeOutLength(
      h,
      p.kernel[0],
      p.strides[0],
      p.dilations[0],
      p.pads[0],
      p.pads[2],
      op[0] ?? 0,
    );
    const ow = convTransposeOutLength(
      w,
      p.kernel[1],
      p.strides[1],
      p.dilations[1],
      p.pads[1],
      p.pads[3],
      op[1] ?? 0,
    );
    return [{ dtype: x.dtype, shape: [n, m, ...positive('ConvTranspose', [oh, ow], x)] }];
  }) satisfies ShapeRule,
  MaxPool: pool('MaxPool'),
  AveragePool: pool('AveragePool'),
  Resize: ((ins, a) => {
    const x = req('Resize', ins, 0);
    if (
      a.mode !== 'nearest' ||
      a.coordinate_transformation_mode !== 'asymmetric' ||
      a.nearest_mode !== 'floor'
    ) {
      throw new ShapeError(
        'Resize',
        'only mode=nearest, coordinate_transformation_mode=asymmetric, nearest_mode=floor',
      );
    }
    if (ins[3]) throw new ShapeError('Resize', 'give scales, not sizes');
    const scales = knownValues('Resize', ins[2], 'scales').map(Number);
    if (scales.length !== x.shape.length)
      throw new ShapeError('Resize', `needs ${x.shape.length} scales, got ${scales.length}`);
    const shape = x.shape.map((d, i) => {
      const s = scales[i]!;
      if (!Number.isInteger(s) || s < 1)
        throw new ShapeError('Resize', `scales must be positive integers (upsampling), got [${scales}]`);
      if (typeof d === 'string') {
        if (s !== 1) throw new ShapeError('Resize', `cannot scale symbolic dim ${d}`);
        return d;
      }
      return d * s;
    });
    return [{ dtype: x.dtype, shape }];
  }) satisfies ShapeRule,
  BatchNormalization: ((ins, a) => {
    const x = req('BatchNormalization', ins, 0);
    if (intAttr(a, 'training_mode') !== 0)
      throw new ShapeError('BatchNormalization', 'only the inference form (training_mode=0)');
    const c = x.shape[1];
    for (let i = 1; i < 5; i++) {
      const m = req('BatchNormalization', ins, i);
      if (m.shape.length !== 1 || m.shape[0] !== c) {
        throw new ShapeError(
          'BatchNormalization',
          `input ${i} must be [${String(c)}], got ${formatShape(m.shape)}`,
        );
      }
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  }) satisfies ShapeRule,
  LayerNormalization: ((ins, a) => {
    const x = req('LayerNormalization', ins, 0);
    const axis = normAxis('LayerNormalization', intAttr(a, 'axis'), x.shape.length);
    const norm = x.shape.slice(axis);
    for (const i of [1, 2]) {
      const m = ins[i];
      if (m && formatShape(m.shape) !== formatShape(norm)) {
        throw new ShapeError(
          'LayerNormalization',
          `input ${i} must be ${formatShape(norm)}, got ${formatShape(m.shape)}`,
        );
      }
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  }) satisfies ShapeRule,
};
