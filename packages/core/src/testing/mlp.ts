import { key, normal, uniform } from '@vae/random';
import { grad } from '../autodiff/grad';
import type { HostTensor } from '../ir/dtype';
import { Graph } from '../ir/graph';
import { loop } from '../ir/loop';
import type { Tensor } from '../ir/tensor';

/** A 2-layer MLP classifier with mean softmax cross-entropy: the end-to-end test model. */
export function mlpProblem(batch = 8, inDim = 6, hidden = 5, classes = 3) {
  const g = new Graph('mlp');
  const x = g.input('x', ['N', inDim]);
  const y = g.input('y', ['N', classes]); // one-hot targets
  const w1 = g.input('w1', [inDim, hidden]);
  const b1 = g.input('b1', [hidden]);
  const w2 = g.input('w2', [hidden, classes]);
  const b2 = g.input('b2', [classes]);
  const params = [w1, b1, w2, b2];
  const lossOf = (ps: Tensor[]) => {
    const [W1, B1, W2, B2] = ps as [Tensor, Tensor, Tensor, Tensor];
    const logits = x.matmul(W1).add(B1).tanh().matmul(W2).add(B2);
    return logits.logSoftmax().mul(y).sum([1]).neg().mean();
  };
  const loss = lossOf(params);
  const grads = grad(loss, params);
  const k = key(7);
  const labels = Array.from(uniform(k, batch), (u) => Math.floor(u * classes));
  const onehot = new Float32Array(batch * classes);
  labels.forEach((c, i) => (onehot[i * classes + c] = 1));
  const feeds: Record<string, HostTensor> = {
    x: { dtype: 'float32', shape: [batch, inDim], data: normal(key(1), batch * inDim) },
    y: { dtype: 'float32', shape: [batch, classes], data: onehot },
    w1: { dtype: 'float32', shape: [inDim, hidden], data: normal(key(2), inDim * hidden, { std: 0.5 }) },
    b1: { dtype: 'float32', shape: [hidden], data: normal(key(3), hidden, { std: 0.1 }) },
    w2: { dtype: 'float32', shape: [hidden, classes], data: normal(key(4), hidden * classes, { std: 0.5 }) },
    b2: { dtype: 'float32', shape: [classes], data: normal(key(5), classes, { std: 0.1 }) },
  };
  /** K steps of SGD inside one ONNX Loop; returns the final params and per-step losses. */
  const sgdLoop = (steps: number, lr: number) => {
    const [finals, scans] = loop(g, steps, params, (_i, ps) => {
      const l = lossOf(ps);
      const gs = grad(l, ps);
      return { carried: ps.map((p, j) => p.sub(gs[j]!.mul(lr))), scans: [l] };
    });
    return { params: finals, losses: scans[0]! };
  };
  return { graph: g, params, loss, grads, feeds, lossOf, sgdLoop };
}
