import { existsSync, readFileSync } from 'node:fs';
import { type HostTensor, UserError } from '@vae/core';
import { writeFileAtomic } from './atomic';
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
 * Writes parameters (named as the model's `paramShapes()`), optimizer state (`optim.<name>`) and
 * progress (in the safetensors metadata) to one file, atomically: the file on disk is always one
 * complete checkpoint.
 */
export function saveCheckpoint(path: string, ckpt: Checkpoint): void {
  const tensors: Record<string, HostTensor> = { ...ckpt.params };
  for (const [name, t] of Object.entries(ckpt.state)) tensors[STATE + name] = t;
  const meta = { format: FORMAT, version: '1', progress: JSON.stringify(ckpt.progress) };
  writeFileAtomic(path, encodeSafetensors(tensors, meta));
}

/** Reads a checkpoint written by {@link saveCheckpoint}. */
export function loadCheckpoint(path: string): Checkpoint {
  if (!existsSync(path)) throw new CheckpointError(`no checkpoint at ${path}`);
  const { tensors, metadata } = readSafetensors(path, CheckpointError);
  if (metadata.format !== FORMAT || metadata.version !== '1')
    throw new CheckpointError(`${path}: not a ${FORMAT} v1 file (metadata ${JSON.stringify(metadata)})`);
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
    throw new CheckpointError(`${path}: its progress metadata is not valid JSON (${(e as Error).message})`);
  }
  return { params, state, progress };
}

/** Decodes a safetensors file; a damaged one is a `Err` (user-facing) naming the file. */
function readSafetensors(path: string, Err: new (message: string) => Error = SafetensorsError) {
  try {
    return decodeSafetensors(readFileSync(path));
  } catch (e) {
    if (e instanceof SafetensorsError)
      throw new Err(`${path} is not a valid safetensors file (${e.message}): the file is damaged`);
    throw e;
  }
}

/** Parameters only (e.g. the best-validation weights), atomically. */
export function saveParams(
  path: string,
  params: Record<string, HostTensor>,
  meta: Record<string, string> = {},
): void {
  writeFileAtomic(path, encodeSafetensors(params, { format: 'vae-params', version: '1', ...meta }));
}

/** Reads parameters written by {@link saveParams} (or the params of a checkpoint). */
export function loadParams(path: string): Record<string, HostTensor> {
  if (!existsSync(path)) throw new CheckpointError(`no parameters at ${path}`);
  const { tensors } = readSafetensors(path);
  return Object.fromEntries(Object.entries(tensors).filter(([n]) => !n.startsWith(STATE)));
}
