import type { Dataset } from '@vae/datasets';

/** A dataset ready for training: train / validation / test splits and how to feed them. */
export interface RunData {
  readonly train: Dataset;
  readonly val: Dataset;
  readonly test: Dataset;
  readonly classNames: readonly string[] | null;
  /** Image size when the examples are images. */
  readonly image: { h: number; w: number; c: number } | null;
}
