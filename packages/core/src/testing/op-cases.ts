/**
 * Test cases for every op, keyed by op name: `satisfies Record<OpName, ...>` means an op added
 * to the table without cases does not compile. Each case runs on the interpreter and on
 * onnxruntime-node, and (unless `grad: false`) its VJP is checked by finite differences.
 */
import { loop } from '../ir/loop';
import type { OpName } from '../ir/ops';
import type { OpCase } from './harness';
import { s } from './op-case-builders';
import { elementwiseOpCases } from './op-cases-elementwise';
import { movementOpCases } from './op-cases-movement';
import { nnOpCases } from './op-cases-nn';
import { reduceOpCases } from './op-cases-reduce';

export const opCases = {
  ...elementwiseOpCases,
  ...reduceOpCases,
  ...movementOpCases,
  ...nnOpCases,
  Loop: [
    {
      name: 'Loop carried and scan',
      inputs: [s(3), s(3)],
      build: (g, [x, w]) => {
        const [final, scan] = loop(g, 4, [x!], (i, [c]) => {
          const next = c!.mul(w!).tanh().add(i.cast('float32'));
          return { carried: [next], scans: [next.sum()] };
        });
        return [final[0]!, scan[0]!];
      },
      grad: false,
    },
  ],
} satisfies Record<OpName, OpCase[]>;
