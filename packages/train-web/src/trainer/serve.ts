import { errorToMessage, TrainerStateError } from '../errors';
import { defaultStorage } from '../store/index';
import type { RunStorage } from '../store/run-store';
import { readTrainData } from './data';
import { exportBundle } from './exporter';
import type { FromWorker, MessageEndpoint, StartMessage, ToWorker } from './protocol';
import { checkRecipe } from './recipe';
import { RUN_FILES, readRun, writeRunStart } from './run-files';
import { type SessionInit, TrainingSession } from './session';

/** Options of {@link serveTrainer}. */
export interface ServeOptions {
  /** Where runs are kept (default: OPFS, else IndexedDB). */
  readonly storage?: RunStorage;
  /** Seconds between checkpoints inside an epoch (default 10). */
  readonly checkpointSeconds?: number;
}

/** Buffers a message carries, transferred rather than copied. */
function transferables(m: FromWorker): Transferable[] {
  if (m.type === 'samples') return [m.means.buffer as ArrayBuffer];
  // Each buffer once (files may share one); fresh buffers the worker does not keep.
  if (m.type === 'bundle') return [...new Set(Object.values(m.files).map((b) => b.buffer as ArrayBuffer))];
  return [];
}

/**
 * Serves the training protocol on `scope` (a worker's `self`, or one end of a MessageChannel): one
 * run at a time; a new `start` or `resume` replaces the previous run after stopping it.
 */
export function serveTrainer(scope: MessageEndpoint, opts: ServeOptions = {}): void {
  let storage: RunStorage | undefined = opts.storage;
  const store = () => (storage ??= defaultStorage());
  let session: TrainingSession | null = null;
  const post = (m: FromWorker) => scope.postMessage(m, transferables(m));

  const open = async (
    m: Pick<StartMessage, 'runId' | 'threads' | 'executionProvider' | 'wasmPaths' | 'id'>,
    init: Omit<SessionInit, 'post' | 'threads' | 'executionProvider' | 'wasmPaths' | 'checkpointSeconds'>,
  ) => {
    const old = session;
    session = null; // first, so the old run's end is not reported (the page asked for a new one)
    await old?.dispose();
    const s = new TrainingSession({
      ...init,
      post,
      ...(m.threads !== undefined ? { threads: m.threads } : {}),
      ...(m.executionProvider ? { executionProvider: m.executionProvider } : {}),
      ...(m.wasmPaths !== undefined ? { wasmPaths: m.wasmPaths } : {}),
      ...(opts.checkpointSeconds !== undefined ? { checkpointSeconds: opts.checkpointSeconds } : {}),
    });
    session = s;
    post(await s.ready(m.id));
    // A run replaced by a newer start / resume ends quietly: its page listens to the new one.
    s.train().then(
      (r) => session === s && post({ type: 'done', finished: r.progress.finished !== null }),
      (e) => session === s && post({ type: 'error', ...errorToMessage(e) }),
    );
  };

  const start = async (m: StartMessage) => {
    const recipe = checkRecipe(m.recipe, m.data?.kind);
    const data = readTrainData(m.data, recipe.seed);
    const runStore = await store().open(m.runId);
    if (await runStore.read(RUN_FILES.config))
      throw new TrainerStateError(`run ${m.runId} already exists: resume it, or start another run id`);
    await writeRunStart(runStore, recipe, m.data);
    await open(m, { recipe, data, store: runStore, resumeFrom: null });
  };

  const resume = async (m: Extract<ToWorker, { type: 'resume' }>) => {
    const runStore = await store().open(m.runId);
    const run = await readRun(runStore);
    const recipe = checkRecipe(run.recipe, run.data.kind);
    const data = readTrainData(run.data, recipe.seed);
    await open(m, { recipe, data, store: runStore, resumeFrom: run.checkpoint });
  };

  const need = () => {
    if (!session) throw new TrainerStateError('no run: start or resume one first');
    return session;
  };

  scope.addEventListener('message', async (e: MessageEvent) => {
    const m = e.data as ToWorker;
    const id = 'id' in m ? m.id : undefined;
    try {
      switch (m.type) {
        case 'start':
          return await start(m);
        case 'resume':
          return await resume(m);
        case 'pause':
          return need().pause();
        case 'continue':
          return need().continue();
        case 'stop':
          return need().stop();
        case 'samples':
          return post({
            type: 'samples',
            ...(id !== undefined ? { id } : {}),
            ...(await need().samples(m.n, m.seed)),
          });
        case 'export':
          return post({
            type: 'bundle',
            ...(id !== undefined ? { id } : {}),
            files: await exportBundle(need()),
          });
        case 'listRuns':
          return post({ type: 'runs', ...(id !== undefined ? { id } : {}), runs: await store().listRuns() });
        default:
          throw new TrainerStateError(`unknown message type ${String((m as { type?: unknown }).type)}`);
      }
    } catch (err) {
      post({ type: 'error', ...(id !== undefined ? { id } : {}), ...errorToMessage(err) });
    }
  });
}
