import type { AttributeProto, NodeProto } from './onnx-types';
import { toTensorProto } from './tensor-proto';

/** One ONNX node with a single output, named after that output (for composite lowerings). */
export const onnxNode = (
  op: string,
  input: string[],
  out: string,
  attribute: AttributeProto[] = [],
): NodeProto => ({
  input,
  output: [out],
  name: `${out}_node`,
  opType: op,
  attribute,
});

/** A Constant node holding an int64 vector (axes, shapes). */
export const intsConstant = (out: string, values: readonly number[]): NodeProto =>
  onnxNode('Constant', [], out, [
    {
      name: 'value',
      type: 'tensor',
      t: toTensorProto('', {
        dtype: 'int64',
        shape: [values.length],
        data: BigInt64Array.from(values.map(BigInt)),
      }),
    },
  ]);
