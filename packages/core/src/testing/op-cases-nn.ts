/** Op cases of the convolution, pooling, resize and normalisation ops. */
import type { OpName } from '../ir/ops';
import type { OpCase } from './harness';
import { pos, s, sym, un } from './op-case-builders';

export const nnOpCases = {
  Conv: [
    {
      name: 'Conv',
      inputs: [s(2, 3, 6, 6), s(4, 3, 3, 3), s(4)],
      build: (g, [x, w, b]) => g.apply1('Conv', [x!, w!, b!]),
    },
    {
      name: 'Conv stride pad dil group',
      inputs: [sym(2, 4, 7, 6), s(6, 2, 3, 2)],
      build: (g, [x, w]) =>
        g.apply1('Conv', [x!, w!], { strides: [2, 1], pads: [1, 0, 1, 1], dilations: [1, 2], group: 2 }),
    },
    {
      name: 'Conv dilation stride asym pads',
      inputs: [s(2, 3, 9, 8), s(4, 3, 3, 2), s(4)],
      build: (g, [x, w, b]) =>
        g.apply1('Conv', [x!, w!, b!], { strides: [2, 3], pads: [2, 0, 1, 2], dilations: [2, 1] }),
    },
    {
      name: 'Conv group 3 bias',
      inputs: [s(2, 6, 7, 7), s(6, 2, 3, 3), s(6)],
      build: (g, [x, w, b]) =>
        g.apply1('Conv', [x!, w!, b!], { strides: [2, 2], pads: [1, 1, 0, 0], dilations: [1, 2], group: 3 }),
    },
    {
      name: 'Conv batch stride remainder',
      inputs: [sym(2, 2, 8, 7), s(3, 2, 2, 3), s(3)],
      build: (g, [x, w, b]) =>
        g.apply1('Conv', [x!, w!, b!], { strides: [3, 2], pads: [0, 1, 2, 0], dilations: [2, 1] }),
    },
    {
      name: 'Conv batch depthwise',
      inputs: [sym(3, 3, 5, 5), s(6, 1, 3, 3)],
      build: (g, [x, w]) => g.apply1('Conv', [x!, w!], { strides: [2, 2], pads: [1, 1, 1, 1], group: 3 }),
    },
  ],
  ConvTranspose: [
    {
      name: 'ConvTranspose',
      inputs: [s(2, 3, 4, 4), s(3, 2, 3, 3), s(2)],
      build: (g, [x, w, b]) => g.apply1('ConvTranspose', [x!, w!, b!]),
    },
    {
      name: 'ConvTranspose stride pad outpad',
      inputs: [sym(2, 4, 3, 4), s(4, 3, 4, 3)],
      build: (g, [x, w]) =>
        g.apply1('ConvTranspose', [x!, w!], {
          strides: [2, 2],
          pads: [1, 1, 1, 0],
          output_padding: [1, 0],
          group: 2,
        }),
    },
    {
      name: 'ConvTranspose group dilation bias',
      inputs: [s(2, 4, 3, 3), s(4, 3, 2, 3), s(6)],
      build: (g, [x, w, b]) =>
        g.apply1('ConvTranspose', [x!, w!, b!], {
          strides: [2, 1],
          dilations: [2, 2],
          pads: [1, 0, 0, 2],
          output_padding: [1, 0],
          group: 2,
        }),
    },
    {
      name: 'ConvTranspose batch dilation crop',
      inputs: [sym(2, 2, 4, 3), s(2, 2, 3, 3), s(2)],
      build: (g, [x, w, b]) =>
        g.apply1('ConvTranspose', [x!, w!, b!], { strides: [1, 2], dilations: [2, 1], pads: [2, 1, 0, 1] }),
    },
  ],
  MaxPool: [
    un('MaxPool 2x2', s(2, 3, 6, 6), (x) =>
      x.graph.apply1('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] }),
    ),
    un('MaxPool overlap pad', s(1, 2, 5, 5), (x) =>
      x.graph.apply1('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    ),
    un('MaxPool batch 2x3', sym(3, 2, 4, 6), (x) =>
      x.graph.apply1('MaxPool', [x], { kernel_shape: [2, 3], strides: [2, 3] }),
    ),
    un('MaxPool batch dilated ceil', sym(2, 2, 7, 6), (x) =>
      x.graph.apply1('MaxPool', [x], {
        kernel_shape: [2, 3],
        strides: [2, 2],
        dilations: [2, 1],
        pads: [1, 0, 0, 1],
        ceil_mode: 1,
      }),
    ),
    un('MaxPool stride 1', s(1, 1, 4, 4), (x) =>
      x.graph.apply1('MaxPool', [x], { kernel_shape: [2, 2], strides: [1, 1] }),
    ),
  ],
  AveragePool: [
    un('AveragePool 2x2', s(2, 3, 6, 6), (x) =>
      x.graph.apply1('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2] }),
    ),
    un('AveragePool pad', s(1, 2, 5, 5), (x) =>
      x.graph.apply1('AveragePool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    ),
    un('AveragePool count pad', s(1, 2, 5, 5), (x) =>
      x.graph.apply1('AveragePool', [x], {
        kernel_shape: [3, 3],
        strides: [1, 1],
        pads: [1, 1, 1, 1],
        count_include_pad: 1,
      }),
    ),
    un('AveragePool batch asym ceil', sym(2, 3, 7, 5), (x) =>
      x.graph.apply1('AveragePool', [x], {
        kernel_shape: [3, 2],
        strides: [2, 2],
        pads: [1, 0, 0, 0],
        ceil_mode: 1,
      }),
    ),
    un('AveragePool ceil count pad', s(1, 2, 7, 5), (x) =>
      x.graph.apply1('AveragePool', [x], {
        kernel_shape: [3, 3],
        strides: [2, 2],
        pads: [1, 1, 0, 1],
        ceil_mode: 1,
        count_include_pad: 1,
      }),
    ),
  ],
  Resize: [
    un('Resize x2', sym(2, 3, 3, 4), (x) => {
      const scales = x.graph.constant({ dtype: 'float32', shape: [4], data: Float32Array.of(1, 1, 2, 2) });
      return x.graph.apply1('Resize', [x, null, scales]);
    }),
    un('Resize channels and width', sym(2, 2, 3, 2), (x) => {
      const scales = x.graph.constant({ dtype: 'float32', shape: [4], data: Float32Array.of(1, 2, 1, 3) });
      return x.graph.apply1('Resize', [x, null, scales]);
    }),
    un('Resize 3d', s(2, 3, 2), (x) => {
      const scales = x.graph.constant({ dtype: 'float32', shape: [3], data: Float32Array.of(2, 1, 3) });
      return x.graph.apply1('Resize', [x, null, scales]);
    }),
  ],
  BatchNormalization: [
    {
      name: 'BatchNormalization',
      inputs: [s(2, 3, 2, 2), s(3), s(3), s(3), pos(3)],
      build: (g, xs) => g.apply1('BatchNormalization', xs, { epsilon: 1e-3 }),
    },
    {
      name: 'BatchNormalization 2d batch',
      inputs: [sym(5, 3), s(3), s(3), s(3), pos(3)],
      build: (g, xs) => g.apply1('BatchNormalization', xs),
    },
    {
      name: 'BatchNormalization 3d',
      inputs: [s(2, 4, 3), s(4), s(4), s(4), pos(4)],
      build: (g, xs) => g.apply1('BatchNormalization', xs, { epsilon: 0.1 }),
    },
  ],
  LayerNormalization: [
    {
      name: 'LayerNormalization',
      inputs: [sym(4, 6), s(6), s(6)],
      build: (g, xs) => g.apply1('LayerNormalization', xs),
    },
    {
      name: 'LayerNormalization 2 axes',
      inputs: [s(2, 3, 4), s(3, 4)],
      build: (g, xs) => g.apply1('LayerNormalization', xs, { axis: 1 }),
    },
    {
      name: 'LayerNormalization all axes',
      inputs: [s(2, 3), s(2, 3), s(2, 3)],
      build: (g, xs) => g.apply1('LayerNormalization', xs, { axis: 0, epsilon: 1e-3 }),
    },
    {
      name: 'LayerNormalization batch 3d',
      inputs: [sym(3, 2, 5), s(5)],
      build: (g, xs) => g.apply1('LayerNormalization', xs, { axis: -1 }),
    },
  ],
} satisfies Partial<Record<OpName, OpCase[]>>;
