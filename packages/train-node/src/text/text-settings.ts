/**
 * The settings of a character-level text run (`vae train --text chars`): the flags as typed, what
 * the recipe records, and the defaults. A leaf module (no imports), so the recipe types can name it.
 */

/** The text flags of `vae train`, as typed (absent: undefined). */
export interface TextFlags {
  /** `--text chars`: the dataset is a text file, one sequence per line, modelled by characters. */
  readonly text?: string;
  /** `--max-len N`: longest line kept, in characters (longer lines are left out and counted). */
  readonly maxLen?: number;
  /** `--lowercase`: lower-case every line first. */
  readonly lowercase?: boolean;
  /** `--word-dropout P`: each decoder input character becomes UNK with probability P in training. */
  readonly wordDropout?: number;
  /** `--lm`: the language model of the same decoder with no latent variable (the baseline). */
  readonly lm?: boolean;
  /** `--embed E`: character embedding size. */
  readonly embed?: number;
}

/** What a text run's recipe records (`recipe.text`); the vocabulary is in `config.extra.text`. */
export interface TextRecipe {
  readonly kind: 'chars';
  readonly maxLen: number;
  readonly lowercase: boolean;
  readonly wordDropout: number;
  readonly lm: boolean;
  readonly embed: number;
}

/**
 * Defaults of a text run, sized for a word list (about 70k words of up to 12 characters): a
 * 16-dimensional latent, GRUs of 256, embeddings of 64, word dropout 0.25, and free bits 0.25 nats
 * per latent dimension: measured on the word list (bench/text), the same VAE without free bits
 * collapses to KL ~0 with no active unit, with them it keeps every unit active (bench/README.md).
 */
export const TEXT_DEFAULTS = {
  latent: 16,
  hidden: [256],
  embed: 64,
  wordDropout: 0.25,
  freeBits: 0.25,
} as const;
