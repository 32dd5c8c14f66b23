import { NotDifferentiableError } from '../ir/errors';
import type { VjpRule } from './vjp-types';

const todo: VjpRule = (_g, node) => {
  throw new NotDifferentiableError(node.op, 'rule not written yet');
};

/** VJPs of the convolution family and normalisation layers. */
export const nnVjpRules = {
  Conv: todo,
  ConvTranspose: todo,
  MaxPool: todo,
  AveragePool: todo,
  Resize: todo,
  BatchNormalization: todo,
  LayerNormalization: todo,
} satisfies Record<string, VjpRule>;
