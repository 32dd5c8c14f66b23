import type { Tensor } from '../ir/tensor';
import type { ConditionSpec } from './spec';

/** Parameters of the condition embedding (when `embed` is set). */
export function conditionParamShapes(spec: ConditionSpec | undefined): Record<string, number[]> {
  if (!spec?.embed) return {};
  return { 'cond.embed.weight': [spec.size, spec.embed], 'cond.embed.bias': [spec.embed] };
}

/** Width of the condition as concatenated (embedding width or raw size). */
export const conditionWidth = (spec: ConditionSpec): number => spec.embed ?? spec.size;

/** c, or its embedding c W + b. */
export function conditionFeatures(
  spec: ConditionSpec,
  params: Readonly<Record<string, Tensor>>,
  c: Tensor,
): Tensor {
  return spec.embed ? c.matmul(params['cond.embed.weight']!).add(params['cond.embed.bias']!) : c;
}

/**
 * Concatenates condition features to encoder input: on the feature axis for flat data, or as
 * constant extra channels for images ([N, C, H, W]).
 */
export function withCondition(x: Tensor, cf: Tensor, dataShape: readonly number[]): Tensor {
  const g = x.graph;
  if (dataShape.length === 1) return g.apply1('Concat', [x, cf], { axis: -1 });
  const [, h, w] = dataShape as [number, number, number];
  const planes = cf.unsqueeze([2, 3]).expand([1, cf.shape[1] as number, h, w]);
  return g.apply1('Concat', [x, planes], { axis: 1 });
}

/** Concatenates condition features to z ([N, D] or [k, N, D]). */
export function latentWithCondition(z: Tensor, cf: Tensor): Tensor {
  const c = z.rank === 3 ? cf.expand([z.shape[0] as number, 1, 1]) : cf;
  return z.graph.apply1('Concat', [z, c], { axis: -1 });
}
