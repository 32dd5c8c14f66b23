/**
 * A fresh training run's defaults, the one place every trainer reads them from (`vae train` in
 * Node, the browser's trainer), so the same recipe means the same run everywhere.
 */
export const TRAIN_DEFAULTS = {
  epochs: 10,
  batchSize: 128,
  /** Adam's rate (torch's betas and eps, no weight decay, constant schedule). */
  learningRate: 1e-3,
  seed: 1,
  /** Latent size and hidden widths by model. */
  sizes: {
    mlp: { latent: 20, hidden: [400] },
    // Conv: the channel widths of the stride-2 convs (at 28x28 grey, convVAE28).
    conv: { latent: 20, hidden: [32, 64] },
    tabular: { latent: 4, hidden: [64, 64] },
    // Series windows: conv1d widths of the stride-2 convs; gru its one hidden size.
    conv1d: { latent: 8, hidden: [32, 64] },
    gru: { latent: 8, hidden: [64] },
  },
} as const;
