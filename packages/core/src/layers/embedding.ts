/**
 * Embedding lookup (torch's nn.Embedding): int64 token ids `[N, ...]` pick rows of a learned table
 * `weight [vocab, dim]`, giving `[N, ..., dim]`. It is one Gather; its VJP scatter-adds the
 * cotangent rows into the rows they were read from, so repeated ids accumulate.
 */
import { type Dim, formatShape, type Shape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';

/** A learned table of `vocab` vectors of size `dim`; parameter `weight [vocab, dim]`, init N(0, 1) as torch. */
export interface EmbeddingSpec {
  readonly type: 'embedding';
  readonly vocab: number;
  readonly dim: number;
}

/** Output shape for ids of shape `x`. */
export function embeddingOutputShape(spec: EmbeddingSpec, x: Shape, fail: (detail: string) => never): Dim[] {
  if (x.length < 1) fail(`needs int64 ids [batch, ...], got ${formatShape(x)}`);
  return [...x, spec.dim];
}

/**
 * Looks up `ids` (int64, values in [0, vocab); negative ids count from the end, as ONNX Gather)
 * in `weight`; `fail` throws the caller's layer error for non-integer ids.
 */
export function applyEmbedding(ids: Tensor, weight: Tensor, fail: (detail: string) => never): Tensor {
  if (ids.dtype !== 'int64') fail(`needs int64 token ids, got ${ids.dtype}${formatShape(ids.shape)}`);
  return weight.gather(ids, 0);
}
