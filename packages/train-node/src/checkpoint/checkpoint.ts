import { existsSync, readFileSync } from 'node:fs';
import {
  type Checkpoint,
  CheckpointError,
  decodeCheckpoint,
  decodeParams,
  encodeCheckpoint,
  encodeParams,
  type HostTensor,
} from '@vae/core';
import { writeFileAtomic } from './atomic';

// The files of a run: the bytes are core's (encodeCheckpoint / encodeParams, the same a browser
// stores); this file adds the atomic write and the read.

/**
 * Writes parameters (named as the model's `paramShapes()`), optimizer state (`optim.<name>`) and
 * progress (in the safetensors metadata) to one file, atomically: the file on disk is always one
 * complete checkpoint.
 */
export function saveCheckpoint(path: string, ckpt: Checkpoint): void {
  writeFileAtomic(path, encodeCheckpoint(ckpt));
}

/** Reads a checkpoint written by {@link saveCheckpoint}. */
export function loadCheckpoint(path: string): Checkpoint {
  if (!existsSync(path)) throw new CheckpointError(`no checkpoint at ${path}`);
  return decodeCheckpoint(readFileSync(path), path);
}

/** Parameters only (e.g. the best-validation weights), atomically. */
export function saveParams(
  path: string,
  params: Record<string, HostTensor>,
  meta: Record<string, string> = {},
): void {
  writeFileAtomic(path, encodeParams(params, meta));
}

/** Reads parameters written by {@link saveParams} (or the params of a checkpoint). */
export function loadParams(path: string): Record<string, HostTensor> {
  if (!existsSync(path)) throw new CheckpointError(`no parameters at ${path}`);
  return decodeParams(readFileSync(path), path);
}
