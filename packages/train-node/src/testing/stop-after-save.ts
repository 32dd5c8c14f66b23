// Stops a run right after a checkpoint, as Ctrl-C would at that moment (no timing involved). Test-only.
// Runtime imports stay out of this file: tests load it through `vi.hoisted`, before `vi.mock` applies.
import type * as Checkpoint from '../checkpoint/checkpoint';

/** Set `afterSave` to a controller to have the next `saveCheckpoint` abort it with 'SIGINT'. */
export const stop = { afterSave: null as AbortController | null };

/** A `vi.mock` factory for '../checkpoint/checkpoint' whose `saveCheckpoint` fires `stop.afterSave` once saved. */
export async function checkpointStoppingAfterSave(
  importOriginal: <T>() => Promise<T>,
): Promise<typeof Checkpoint> {
  const m = await importOriginal<typeof Checkpoint>();
  return {
    ...m,
    saveCheckpoint: (...a: Parameters<typeof m.saveCheckpoint>) => {
      m.saveCheckpoint(...a);
      stop.afterSave?.abort('SIGINT');
    },
  };
}
