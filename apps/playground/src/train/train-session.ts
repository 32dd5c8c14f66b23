/**
 * The "Train here" panel's run: one @vae/train-web `BrowserTrainer` (its worker started on the first
 * Start or Resume), the losses seen so far, the state in words, and a note in localStorage of the
 * run the browser keeps (its id, recipe and latest checkpoint) so a reloaded page can offer Resume.
 */
import type { BrowserTrainer, TrainData } from '@vae/train-web';
import { saveBundleZip } from './bundle-zip';
import type { LossSeries } from './loss-curve';
import type { RecipeFields } from './recipe-form';
import { readNote, type StoredRun, writeNote } from './run-note';
import type { Geometry, Samples } from './sample-grid';

export type RunState =
  | 'idle'
  | 'starting'
  | 'running'
  | 'pausing'
  | 'paused'
  | 'exporting'
  | 'stopped'
  | 'done'
  | 'error';

interface Progress {
  epoch: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  step: number;
  loss: number;
  samplesPerSecond: number;
  stepLosses: number[];
}

interface Events {
  state: RunState;
  status: string;
  progress: Progress;
  epoch: { epoch: number; step: number };
  checkpoint: number;
  done: boolean;
  error: unknown;
}

/**
 * Steps per onnxruntime call: fewer than `vae train`'s 64 so the curve, Pause and Stop respond
 * within a fraction of a second (data and noise do not depend on it; Adam's loop form makes the
 * weights differ in their last float32 bits, and the cost per call changes).
 */
const STEPS_PER_CALL = 16;

export class TrainSession {
  state: RunState = 'idle';
  bundle: Record<string, Uint8Array> | null = null;
  stored: StoredRun | null = null;
  private trainer: BrowserTrainer | null = null;
  private first = 1;
  private series: number[] = [];
  private step = 0;
  private backend = '';
  private last: Progress | null = null;
  private run: StoredRun | null = null;
  /** Whether the trainer has started a run (a worker trains one run). */
  private used = false;
  private readonly listeners = new Map<keyof Events, ((v: never) => void)[]>();

  on<K extends keyof Events>(type: K, fn: (v: Events[K]) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn as (v: never) => void]);
  }

  private emit<K extends keyof Events>(type: K, v: Events[K]): void {
    for (const fn of this.listeners.get(type) ?? []) (fn as (v: Events[K]) => void)(v);
  }

  private set(state: RunState, text?: string): void {
    this.state = state;
    this.emit('state', state);
    if (text !== undefined) this.emit('status', text);
  }

  /** Whether the run trains on a table (its samples are rows, not pictures). */
  isTable(): boolean {
    return this.run?.recipe.model === 'tabular';
  }

  hasModel(): boolean {
    return this.trainer !== null && this.step > 0;
  }

  losses(): LossSeries {
    return { first: this.first, losses: this.series };
  }

  /** One line: step, epoch, samples/s, backend and threads. */
  summary(): string {
    const p = this.last;
    if (!p) return `${this.backend}`;
    return (
      `Step ${p.step} · epoch ${p.epoch + 1} of ${this.run?.epochs ?? '?'} (step ${p.stepInEpoch} of ${p.stepsPerEpoch}) · ` +
      `loss ${p.loss.toFixed(1)} nats · ${Math.round(p.samplesPerSecond)} samples/s · ${this.backend}.`
    );
  }

  /** The newest run the browser keeps that has not finished, if its files are still there. */
  async storedRun(): Promise<StoredRun | null> {
    const note = readNote();
    if (!note || note.finished || note.step === 0) return null;
    const runs = await (await this.ensure()).listRuns();
    this.stored = runs.includes(note.runId) ? note : null;
    return this.stored;
  }

  /** The trainer for a new Start or Resume: a fresh worker once the old one has trained a run. */
  private async fresh(): Promise<BrowserTrainer> {
    if (this.used) {
      this.trainer?.dispose();
      this.trainer = null;
    }
    this.used = true;
    return this.ensure();
  }

  private async ensure(): Promise<BrowserTrainer> {
    if (this.trainer) return this.trainer;
    const { BrowserTrainer } = await import('@vae/train-web');
    const t = new BrowserTrainer();
    t.on('ready', (m) => {
      this.backend = `${m.backend} · ${m.threads} thread${m.threads === 1 ? '' : 's'}`;
      this.set('running', `Training on ${this.backend}…`);
    });
    t.on('progress', (p) => {
      if (this.series.length === 0) this.first = p.step - p.stepLosses.length + 1;
      this.series.push(...p.stepLosses);
      this.step = p.step;
      this.last = p;
      this.emit('progress', p);
      if (this.state === 'running') this.emit('status', this.summary());
    });
    t.on('epoch', (e) => this.emit('epoch', { epoch: e.epoch, step: this.step }));
    t.on('checkpoint', (c) => {
      // What a reload can resume from: the checkpoint's step, not the latest progress.
      const per = this.last?.stepsPerEpoch ?? 0;
      this.remember({ step: c.step, epoch: per > 0 ? Math.floor(c.step / per) : 0 });
      this.emit('checkpoint', c.step);
    });
    t.on('paused', () => this.set('paused', `Paused at step ${this.step}. ${this.summary()}`));
    t.on('done', (d) => {
      this.remember({ finished: d.finished });
      this.set(d.finished ? 'done' : 'stopped', `${d.finished ? 'Done' : 'Stopped'}: ${this.summary()}`);
      this.emit('done', d.finished);
    });
    t.on('error', (e) => {
      if (e.id !== undefined) return; // a request's failure: its promise rejects
      this.set('error', `Training failed: ${e.message}`);
      this.emit('error', new Error(`${e.name}: ${e.message}`));
    });
    this.trainer = t;
    return t;
  }

  private remember(p: Partial<StoredRun>): void {
    if (!this.run) return;
    this.run = { ...this.run, ...p };
    writeNote(this.run);
  }

  async start(recipe: RecipeFields, data: () => Promise<TrainData>, what: string): Promise<void> {
    this.reset();
    this.set('starting', `Reading ${what}…`);
    try {
      const t = await this.fresh();
      const d = await data();
      this.set('starting', 'Starting onnxruntime-web and building the training graph…');
      const runId = `tab-${Date.now().toString(36)}`;
      const geometry =
        d.kind === 'images'
          ? { h: d.height, w: d.width, c: d.channels }
          : d.kind === 'digits'
            ? { h: 28, w: 28, c: 1 }
            : undefined; // a table: no pictures
      this.run = {
        runId,
        recipe,
        ...(geometry ? { geometry } : {}),
        step: 0,
        epoch: 0,
        epochs: recipe.epochs,
        finished: false,
      };
      this.remember({});
      await t.start({ runId, recipe: { ...recipe, stepsPerRun: STEPS_PER_CALL }, data: d });
    } catch (e) {
      this.set('error', `Could not start: ${(e as Error).message}`);
      this.emit('error', e);
    }
  }

  async resume(runId: string): Promise<void> {
    this.reset();
    this.run = this.stored;
    this.step = this.stored?.step ?? 0;
    this.set('starting', `Resuming the stored run from step ${this.step}…`);
    try {
      await (await this.fresh()).resume(runId);
    } catch (e) {
      this.set('error', `Could not resume: ${(e as Error).message}`);
      this.emit('error', e);
    }
  }

  private reset(): void {
    this.series = [];
    this.first = 1;
    this.step = 0;
    this.last = null;
    this.bundle = null;
  }

  pause(): void {
    this.set('pausing', 'Pausing after the current steps…');
    this.trainer?.pause();
  }

  continue(): void {
    this.set('running', `Continuing from step ${this.step}…`);
    this.trainer?.continue();
  }

  stop(): void {
    this.set('pausing', 'Stopping after the current steps…');
    this.trainer?.stop();
  }

  /** Samples of the current weights, and the pictures' geometry. */
  async samples(n: number, seed: number): Promise<{ samples: Samples; geometry?: Geometry }> {
    if (!this.trainer) throw new Error('nothing is training');
    const samples = await this.trainer.samples(n, seed);
    return { samples, ...(this.run?.geometry ? { geometry: this.run.geometry } : {}) };
  }

  async exportBundle(): Promise<Record<string, Uint8Array>> {
    if (!this.trainer) throw new Error('nothing has been trained in this tab');
    // No Start while exporting: a new run would take the worker away from the export.
    const was = this.state;
    this.set('exporting', 'Exporting the bundle…');
    try {
      const files = await this.trainer.exportBundle();
      this.bundle = files;
      return files;
    } finally {
      this.set(was);
    }
  }

  /** Saves the bundle as one .zip (bundle-zip.ts). */
  async download(): Promise<void> {
    saveBundleZip(this.bundle ?? (await this.exportBundle()));
  }
}
