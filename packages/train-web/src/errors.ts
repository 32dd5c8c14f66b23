import { isUserError, UserError } from '@vae/core';

// The typed errors of @vae/train-web. Each crosses the worker boundary as `{ name, message }` and is
// rebuilt on the page as the same class (see `errorFromMessage`), so `instanceof` works there too.

/** A recipe field out of range, or a recipe this package cannot train. */
export class RecipeError extends UserError {
  override name = 'RecipeError';
}

/** Training data that cannot be read or do not fit the recipe. */
export class TrainDataError extends UserError {
  override name = 'TrainDataError';
}

/** onnxruntime-web could not load, create a session or run one. */
export class BackendError extends UserError {
  override name = 'BackendError';
}

/** Browser storage (OPFS / IndexedDB) is missing, full or holds no such run. */
export class StoreError extends UserError {
  override name = 'StoreError';
}

/** A message the trainer cannot act on now (no run started, a run already running, ...). */
export class TrainerStateError extends UserError {
  override name = 'TrainerStateError';
}

/** The worker died or could not start. */
export class WorkerError extends UserError {
  override name = 'WorkerError';
}

/** A loss became NaN or infinite; the message names the step. */
export class NonFiniteLossError extends UserError {
  override name = 'NonFiniteLossError';
}

const CLASSES = {
  RecipeError,
  TrainDataError,
  BackendError,
  StoreError,
  TrainerStateError,
  WorkerError,
  NonFiniteLossError,
} as const;

/** Names of the typed errors: what an `error` message's `name` holds (anything else is `WorkerError`). */
export type TrainWebErrorName = keyof typeof CLASSES;

/** `e`'s message on one line. */
export const oneLine = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();

/** User errors of core and datasets, by name, as the typed error of this package they are. */
const FOREIGN: Readonly<Record<string, TrainWebErrorName>> = {
  TrainConfigError: 'RecipeError',
  ModelSpecError: 'RecipeError',
  CheckpointError: 'StoreError',
  SafetensorsError: 'StoreError',
};

function typedName(e: unknown): TrainWebErrorName {
  if (!(e instanceof Error)) return 'WorkerError';
  if (e.name in CLASSES) return e.name as TrainWebErrorName;
  if (!isUserError(e)) return 'WorkerError';
  // @vae/datasets' DatasetError family (bad bytes, shapes, schemas) is about the data given.
  return (
    FOREIGN[e.name] ??
    (/^(Dataset|Csv|Schema|Idx|Npy|Image|Checksum)/.test(e.name) ? 'TrainDataError' : 'WorkerError')
  );
}

/**
 * `e` as `{ name, message }` for an `error` message: typed errors keep their name, user errors of
 * core and datasets take the matching one (e.g. core's `TrainConfigError` is a `RecipeError`), the
 * rest (bugs) are `WorkerError`s whose message starts with their own name.
 */
export function errorToMessage(e: unknown): { name: TrainWebErrorName; message: string } {
  const name = typedName(e);
  const prefix =
    name === 'WorkerError' && e instanceof Error && e.name !== 'WorkerError' ? `${e.name}: ` : '';
  return { name, message: prefix + oneLine(e) };
}

/** The typed error an `error` message describes. */
export function errorFromMessage(m: { name: string; message: string }): Error {
  const C = CLASSES[m.name as TrainWebErrorName] ?? WorkerError;
  return new C(m.message);
}
