import { onnxNode } from '../node-proto';
import type { LowerPass } from './pass';

/**
 * Pass `softplus-sigmoid`: Softplus as Relu(x) - Log(Sigmoid(|x|)). Stable in both tails
 * (Sigmoid(|x|) lies in [1/2, 1], so the Log never sees 0 and rounds like log(1 + exp(-|x|)) does),
 * faster than onnxruntime's Softplus kernel on CPU, and two ops shorter than
 * Relu(x) + Log(1 + Exp(-|x|)) (onnxruntime's Sigmoid is vectorised). The IR keeps one Softplus op
 * so its gradient is a single Sigmoid; without this pass it lowers 1:1 to ONNX Softplus.
 */
export const softplusSigmoid: LowerPass = {
  name: 'softplus-sigmoid',
  match(node, ctx) {
    if (node.op !== 'Softplus') return null;
    const x = ctx.nameOf(node.inputs[0]!);
    const y = ctx.nameOf(node.outputs[0]!);
    const n = onnxNode;
    return {
      nodes: [
        n('Relu', [x], `${y}_sp_relu`),
        n('Abs', [x], `${y}_sp_abs`),
        n('Sigmoid', [`${y}_sp_abs`], `${y}_sp_sig`),
        n('Log', [`${y}_sp_sig`], `${y}_sp_log`),
        n('Sub', [`${y}_sp_relu`, `${y}_sp_log`], y),
      ],
      absorbs: [],
    };
  },
};
