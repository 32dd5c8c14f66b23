// Shared by the Node loader tests. Test-only.
import { DatasetError } from '../errors';

/** Awaits `promise` and returns the DatasetError it rejects with; fails if it resolves or rejects otherwise. */
export async function failure(promise: Promise<unknown>): Promise<DatasetError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error('expected a DatasetError');
}
