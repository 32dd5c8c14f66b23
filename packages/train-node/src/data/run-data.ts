import type { Dataset } from '@vae/datasets';

/**
 * A dataset ready for training: train / validation / test splits and how to feed them.
 *
 * Layout: image examples are channel-major, `[c, h, w]` (CHW, as the models and bundles take them:
 * a conv VAE's `[C, H, W]`, an MLP's flattened C x H x W), whatever the files held; loaders' `[h, w,
 * c]` is turned once by `toChannelsFirst` (a copy for RGB, none for grey). Vectors stay `[d]`.
 */
export interface RunData {
  readonly train: Dataset;
  readonly val: Dataset;
  readonly test: Dataset;
  readonly classNames: readonly string[] | null;
  /** Image size when the examples are images (stored `[c, h, w]`). */
  readonly image: { h: number; w: number; c: number } | null;
}
