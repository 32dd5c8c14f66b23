import type { Tensor } from '../ir/tensor';
import type { TabularColumn } from './spec';
import { columnWidth } from './tabular-likelihood';

/**
 * Encoder input for a row with missing cells: the encoded row with missing cells zeroed,
 * followed by the per-column mask, so the encoder knows what it did not see.
 */
export function tabularEncoderInput(columns: readonly TabularColumn[], x: Tensor, mask: Tensor): Tensor {
  const widths = columns.map(columnWidth);
  const f = widths.reduce((a, b) => a + b, 0);
  // E[c, j] = 1 when feature j belongs to column c: mask [N, C] @ E -> per-feature mask [N, F].
  const e = new Float32Array(columns.length * f);
  let j = 0;
  widths.forEach((w, c) => {
    for (let k = 0; k < w; k++) e[c * f + j + k] = 1;
    j += w;
  });
  const expand = x.graph.constant({ dtype: 'float32', shape: [columns.length, f], data: e });
  return x.graph.apply1('Concat', [x.mul(mask.matmul(expand)), mask], { axis: -1 });
}
