/**
 * Applies transforms to a whole dataset once, e.g. a static binarisation or a standardisation that
 * a trainer wants as one contiguous float32 array.
 */
import { createDataset, type Dataset } from '../dataset';
import { applyTransforms, type Transform } from './transforms';

/**
 * A float32 copy of `dataset` with `transforms` applied (as if every example were in one batch
 * of epoch `epoch`). Labels, class names and mask are shared with the source.
 *
 * @param dataset - the source (not modified)
 * @param transforms - the transforms, in order
 * @param options - `epoch` for epoch-dependent transforms (default 0), `name` of the result
 * @returns the transformed dataset
 */
export function materialize(
  dataset: Dataset,
  transforms: readonly Transform[],
  options: { readonly epoch?: number; readonly name?: string } = {},
): Dataset<'float32'> {
  const indices = new Uint32Array(dataset.count);
  for (let i = 0; i < indices.length; i++) indices[i] = i;
  const data = applyTransforms(dataset.data, transforms, {
    epoch: options.epoch ?? 0,
    indices,
    exampleSize: dataset.exampleSize,
  });
  return createDataset({
    name: options.name ?? dataset.name,
    dtype: 'float32',
    data,
    exampleShape: dataset.exampleShape,
    labels: dataset.labels,
    classNames: dataset.classNames,
    mask: dataset.mask,
  });
}
