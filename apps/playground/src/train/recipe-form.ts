/**
 * The "Train here" panel's recipe: latent size and epochs up front; hidden width, batch size,
 * learning rate and seed under "More settings". Defaults are `vae train`'s for the MLP, except a
 * short first run: 1 epoch at batch 32 (4x the steps of batch 128 at about the same cost per
 * epoch: digit-like samples after one epoch, where batch 128's 54 steps give grey blobs).
 */
import { h } from '../dom';

export interface RecipeFields {
  /** `mlp` for pictures; `tabular` for a CSV table (per-column likelihoods, two hidden layers). */
  model: 'mlp' | 'tabular';
  latent: number;
  hidden: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

const num = (id: string, value: number, min: number, max: number, step: number | 'any' = 1) =>
  h('input', { id, type: 'number', value, min, max, step, required: true });

/** Reads a number box: its value when valid, else an Error naming the field and its range. */
function read(el: HTMLInputElement, name: string, int = true): number {
  const v = Number(el.value);
  const min = Number(el.min);
  const max = Number(el.max);
  if (el.value.trim() === '' || !Number.isFinite(v) || (int && !Number.isInteger(v)) || v < min || v > max)
    throw new Error(`${name} must be ${int ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  return v;
}

/** `vae train`'s latent size and hidden width for each model (tables: 4, and 64 twice). */
const MODEL_DEFAULTS = { mlp: { latent: 20, hidden: 400 }, tabular: { latent: 4, hidden: 64 } } as const;

export function recipeForm(): {
  element: HTMLElement;
  recipe(): RecipeFields;
  /** Switches to the model of the data (its defaults replace the ones not changed by hand). */
  setModel(model: RecipeFields['model']): void;
  set(r: Partial<RecipeFields>): void;
  disable(on: boolean): void;
} {
  const latent = num('train-latent', 20, 2, 64);
  const epochs = num('train-epochs', 1, 1, 50);
  const hidden = num('train-hidden', 400, 16, 1024);
  const batch = num('train-batch', 32, 8, 1024);
  const lr = num('train-lr', 0.001, 0.00001, 0.1, 'any');
  const seed = num('train-seed', 1, 0, 2 ** 31 - 1);
  const inputs = [latent, epochs, hidden, batch, lr, seed];
  let model: RecipeFields['model'] = 'mlp';
  const element = h(
    'div',
    { class: 'train-recipe' },
    h(
      'div',
      { class: 'controls' },
      h('label', {}, 'latent size ', latent),
      h('label', {}, 'epochs ', epochs),
    ),
    h(
      'details',
      { id: 'train-more' },
      h('summary', {}, 'More settings (MLP encoder and decoder, Adam; tables: two hidden layers)'),
      h(
        'div',
        { class: 'controls' },
        h('label', {}, 'hidden width ', hidden),
        h('label', {}, 'batch size ', batch),
        h('label', {}, 'learning rate ', lr),
        h('label', {}, 'seed ', seed),
      ),
    ),
  );
  return {
    element,
    recipe: () => {
      const width = read(hidden, 'hidden width');
      return {
        model,
        latent: read(latent, 'latent size'),
        hidden: model === 'tabular' ? [width, width] : [width],
        epochs: read(epochs, 'epochs'),
        batchSize: read(batch, 'batch size'),
        learningRate: read(lr, 'learning rate', false),
        seed: read(seed, 'seed'),
      };
    },
    setModel(next) {
      if (next === model) return;
      const was = MODEL_DEFAULTS[model];
      const now = MODEL_DEFAULTS[next];
      if (Number(latent.value) === was.latent) latent.value = String(now.latent);
      if (Number(hidden.value) === was.hidden) hidden.value = String(now.hidden);
      model = next;
    },
    set(r) {
      if (r.model !== undefined) model = r.model;
      if (r.latent !== undefined) latent.value = String(r.latent);
      if (r.epochs !== undefined) epochs.value = String(r.epochs);
      if (r.hidden?.[0] !== undefined) hidden.value = String(r.hidden[0]);
      if (r.batchSize !== undefined) batch.value = String(r.batchSize);
      if (r.learningRate !== undefined) lr.value = String(r.learningRate);
      if (r.seed !== undefined) seed.value = String(r.seed);
    },
    disable(on) {
      for (const i of inputs) i.disabled = on;
    },
  };
}
