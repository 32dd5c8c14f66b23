import { UserError } from '../errors/user-error';
import type { HostTensor } from '../ir/dtype';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors';

/** Where a run stands: enough to continue it exactly. */
export interface TrainProgress {
  /** Optimisation steps done in total. */
  readonly step: number;
  /** The epoch in progress (0-based); equals `epochs` when training finished. */
  readonly epoch: number;
  /** Steps done within `epoch`. */
  readonly stepInEpoch: number;
  /** Best validation ELBO so far (nats per example, higher is better) and its epoch. */
  readonly bestValElbo: number | null;
  readonly bestEpoch: number | null;
  /** Epochs in a row without a better validation ELBO (early stopping). */
  readonly badEpochs: number;
  /** Why training ended, once it has. */
  readonly finished: 'epochs' | 'early-stopping' | null;
}

/** Weights, optimizer state and progress: what a run saves to continue exactly. */
export interface Checkpoint {
  readonly params: Record<string, HostTensor>;
  /** Optimizer state (e.g. `step`, `adam.m.<param>`). */
  readonly state: Record<string, HostTensor>;
  readonly progress: TrainProgress;
}

const FORMAT = 'vae-checkpoint';
const STATE = 'optim.';

/** A checkpoint file that cannot be used. */
export class CheckpointError extends UserError {
  override name = 'CheckpointError';
}

/**
 * The bytes of a checkpoint file (safetensors): parameters (named as the model's `paramShapes()`),
 * optimizer state (`optim.<name>`) and progress (in the metadata). What train-node's
 * `checkpoint.safetensors` holds, so a browser stores the same format.
 */
export function encodeCheckpoint(ckpt: Checkpoint): Uint8Array {
  const tensors: Record<string, HostTensor> = { ...ckpt.params };
  for (const [name, t] of Object.entries(ckpt.state)) tensors[STATE + name] = t;
  const meta = { format: FORMAT, version: '1', progress: JSON.stringify(ckpt.progress) };
  return encodeSafetensors(tensors, meta);
}

/**
 * Reads the bytes {@link encodeCheckpoint} writes.
 * @param source - where the bytes come from (a path), named in errors
 * @throws CheckpointError for damaged bytes or another format
 */
export function decodeCheckpoint(bytes: Uint8Array, source: string): Checkpoint {
  const { tensors, metadata } = decodeNamed(bytes, source, CheckpointError);
  if (metadata.format !== FORMAT || metadata.version !== '1')
    throw new CheckpointError(`${source}: not a ${FORMAT} v1 file (metadata ${JSON.stringify(metadata)})`);
  const params: Record<string, HostTensor> = {};
  const state: Record<string, HostTensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (name.startsWith(STATE)) state[name.slice(STATE.length)] = t;
    else params[name] = t;
  }
  let progress: TrainProgress;
  try {
    progress = JSON.parse(metadata.progress ?? '{}') as TrainProgress;
  } catch (e) {
    throw new CheckpointError(`${source}: its progress metadata is not valid JSON (${(e as Error).message})`);
  }
  return { params, state, progress };
}

/** The bytes of a parameters file (e.g. `best.safetensors`), with extra string metadata. */
export function encodeParams(
  params: Readonly<Record<string, HostTensor>>,
  meta: Readonly<Record<string, string>> = {},
): Uint8Array {
  return encodeSafetensors(params, { format: 'vae-params', version: '1', ...meta });
}

/**
 * The parameters in the bytes of {@link encodeParams} or {@link encodeCheckpoint} (optimizer state
 * left out).
 * @throws SafetensorsError for damaged bytes, naming `source`
 */
export function decodeParams(bytes: Uint8Array, source: string): Record<string, HostTensor> {
  const { tensors } = decodeNamed(bytes, source, SafetensorsError);
  return Object.fromEntries(Object.entries(tensors).filter(([n]) => !n.startsWith(STATE)));
}

/** Decodes safetensors bytes; damaged ones are an `Err` (user-facing) naming `source`. */
function decodeNamed(bytes: Uint8Array, source: string, Err: new (message: string) => Error) {
  try {
    return decodeSafetensors(bytes);
  } catch (e) {
    if (e instanceof SafetensorsError)
      throw new Err(`${source} is not a valid safetensors file (${e.message}): the file is damaged`);
    throw e;
  }
}
