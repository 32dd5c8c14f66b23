import { availableParallelism } from 'node:os';
import { TrainConfigError } from '../train/errors';

/** The number in a flag's value (cac gives numbers for numeric text, strings otherwise). */
const numberOf = (v: unknown) =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : Number.NaN;

/** An integer flag >= `min` that may be absent; anything else is refused naming the flag. */
export function optInt(flag: string, v: unknown, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = numberOf(v);
  if (!Number.isSafeInteger(n) || n < min)
    throw new TrainConfigError(
      `--${flag} must be ${min === 1 ? 'a positive integer' : `an integer >= ${min}`}, got ${JSON.stringify(v)}`,
    );
  return n;
}

/**
 * `--threads`: onnxruntime's intra-op threads, 1 to the cores this process may use (more only
 * makes threads wait for each other; 0 would mean onnxruntime's own default). Absent: all cores.
 */
export function optThreads(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = numberOf(v);
  const cores = availableParallelism();
  if (!Number.isInteger(n) || n < 1 || n > cores)
    throw new TrainConfigError(
      `--threads must be an integer from 1 to ${cores} (the cores here; leave it out to use all), got ${JSON.stringify(v)}`,
    );
  return n;
}
