/**
 * The playground's state: the loaded model, the chosen latent point (and where it came from), the
 * label, the samples' seed and temperature, timings and errors.
 */
import {
  type BundleSource,
  type Condition,
  type Decoded,
  type ImageGeometry,
  InferError,
  key,
  type LoadOptions,
  loadModel,
  normal,
  type VaeModel,
} from '@vae/infer-web';
import { originOf } from './bundle-origin';
import type { Preview } from './first-picture/preview';
import { tileValues } from './tile';
import type { ViewState } from './view-state';

/** Decode timings for the readout (ms, the latest of each kind). */
export interface Timings {
  load?: number;
  single?: number;
  grid?: number;
  gridN?: number;
}

interface Events {
  model: VaeModel;
  label: number;
  point: Float32Array;
  sampling: { seed: number; temperature: number };
  ends: { a: Float32Array; b: Float32Array };
  timing: Timings;
  error: { title: string; error: unknown } | null;
  busy: string | null;
  preview: Preview;
}

/** Gives up on a load that neither resolves nor rejects (a hung session must never hang the page). */
const LOAD_TIMEOUT_MS = 60_000;

export class App {
  model: VaeModel | null = null;
  /** Where the model came from, for the header. */
  source = '';
  label = 0;
  /** The chosen latent point (sliders start here; grid, map and drawing pad set it). */
  point = new Float32Array(0);
  /** Where the chosen point came from, in words ("sample 3 (seed 1)", "your drawing"). */
  pointSource = '';
  /** Seed and temperature of the prior samples. */
  seed = 1;
  temperature = 1;
  /** Interpolation endpoints. */
  a = new Float32Array(0);
  b = new Float32Array(0);
  timings: Timings = {};
  /** Where the loaded bundle's files can be read again (its folder URL, or the dropped files). */
  private origin: URL | Map<string, Blob> | null = null;
  private readonly listeners = new Map<keyof Events, Set<(v: never) => void>>();
  /** The chosen point and label from the page address, taken by the first model they fit. */
  private initial: ViewState;

  /** Starts with the view state of the page address (seed, temperature; z and label wait for a model). */
  constructor(initial: ViewState = {}) {
    this.initial = initial;
    this.seed = initial.seed ?? this.seed;
    this.temperature = initial.temperature ?? this.temperature;
  }

  on<K extends keyof Events>(event: K, fn: (v: Events[K]) => void): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as (v: never) => void);
  }

  private emit<K extends keyof Events>(event: K, value: Events[K]): void {
    for (const fn of (this.listeners.get(event) ?? []) as Set<(v: Events[K]) => void>) {
      try {
        fn(value);
      } catch (e) {
        this.fail('A view failed', e);
      }
    }
  }

  /** Shows an error in the alert panel (never throws). */
  fail(title: string, error: unknown): void {
    console.error(title, error);
    this.emit('error', { title, error });
  }

  clearError(): void {
    this.emit('error', null);
  }

  /**
   * Loads a bundle; on success it replaces the current model (which is disposed), on failure the
   * current model stays and the error is shown. Resolves true when the new model is in use.
   * `options` go to loadModel.
   */
  async load(source: BundleSource, name: string, options: LoadOptions = {}): Promise<boolean> {
    this.emit('busy', `loading ${name}…`);
    const t0 = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pending = loadModel(source, options);
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new InferError('session', `loading took longer than ${LOAD_TIMEOUT_MS / 1000} s; gave up`));
      }, LOAD_TIMEOUT_MS);
    });
    try {
      const model = await Promise.race([pending, timeout]);
      const c = model.manifest.condition ? { c: 0 } : {};
      let ends: Pick<Decoded, 'z'>;
      try {
        // Text bundles decode to strings (the text views draw them): their endpoints are prior draws.
        ends =
          model.manifest.data.kind === 'text'
            ? { z: normal(key(2024), 2 * model.latent) }
            : await model.sample(2, 2024, c);
      } catch (e) {
        await model.dispose();
        throw e;
      }
      const old = this.model;
      const L = model.latent;
      this.model = model;
      this.source = name;
      this.origin = originOf(source);
      this.timings = { load: performance.now() - t0 };
      this.a = ends.z.slice(0, L);
      this.b = ends.z.slice(L, 2 * L);
      this.adoptInitial(model);
      this.clearError();
      this.emit('model', model);
      this.emit('timing', this.timings);
      if (old) await old.dispose();
      return true;
    } catch (e) {
      // A load that succeeds after the timeout is released, never adopted.
      if (timedOut) pending.then((m) => m.dispose()).catch(() => undefined);
      this.fail(`Could not load bundle ${name}`, e);
      return false;
    } finally {
      clearTimeout(timer);
      this.emit('busy', null);
    }
  }

  /** The address's z and label when they fit the new model (once), else endpoint A and label 0. */
  private adoptInitial(model: VaeModel): void {
    const { z, label } = this.initial;
    const size = model.manifest.condition?.size ?? 0;
    this.label = label !== undefined && label < size ? label : 0;
    const fits = z?.length === model.latent;
    this.point = fits ? z.slice() : this.a.slice();
    this.pointSource = fits ? 'the page address' : 'endpoint A (a prior draw)';
    this.initial = {};
  }

  get latent(): number {
    return this.model?.latent ?? 0;
  }

  /** The model, or an error when none is loaded. */
  get m(): VaeModel {
    if (!this.model) throw new InferError('input', 'no model is loaded');
    return this.model;
  }

  /** The condition for the current label (conditional models only). */
  cond(): Condition | undefined {
    return this.model?.manifest.condition ? this.label : undefined;
  }

  /** `{ c }` for option objects, or nothing. */
  cOpt(): { c?: Condition } {
    const c = this.cond();
    return c === undefined ? {} : { c };
  }

  /** Image geometry of one example, or undefined for non-image bundles. */
  geometry(): ImageGeometry | undefined {
    const img = this.model?.manifest.data.image;
    return img ? { h: img.height, w: img.width, c: img.channels } : undefined;
  }

  setLabel(label: number): void {
    if (label === this.label) return;
    this.label = label;
    this.emit('label', label);
  }

  /** Makes z the chosen point; `source` says where it came from, in words. */
  setPoint(z: ArrayLike<number>, source: string): void {
    this.point = Float32Array.from(z);
    this.pointSource = source;
    this.emit('point', this.point);
  }

  /** Sets the prior samples' seed and temperature (the samples view redraws, also for the same ones). */
  setSampling(seed: number, temperature: number): void {
    this.seed = seed;
    this.temperature = temperature;
    this.emit('sampling', { seed, temperature });
  }

  setEnd(which: 'a' | 'b', z: ArrayLike<number>): void {
    this[which] = Float32Array.from(z);
    this.emit('ends', { a: this.a, b: this.b });
  }

  /** Decodes z ([n, latent]) with the current label, timing it for the readout. */
  async decode(z: Float32Array): Promise<Decoded> {
    const t0 = performance.now();
    const out = await this.m.decode(z, this.cond());
    this.time(out.n, performance.now() - t0);
    return out;
  }

  /** n prior samples (seeded), timed. */
  async sample(n: number, seed: number, temperature: number): Promise<Decoded> {
    const t0 = performance.now();
    const out = await this.m.sample(n, seed, { temperature, ...this.cOpt() });
    this.time(n, performance.now() - t0);
    return out;
  }

  private time(n: number, t: number): void {
    if (n === 1) this.timings.single = t;
    else this.timings = { ...this.timings, grid: t, gridN: n };
    this.emit('timing', this.timings);
  }

  /** RGBA of example `index` of a decoder output (data-space values by the bundle's data graph). */
  async picture(
    params: Float32Array,
    index = 0,
  ): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
    const g = this.geometry();
    if (!g) throw new InferError('input', 'this bundle has no image geometry');
    return { rgba: await this.m.toRGBA(params, { index }), width: g.w, height: g.h };
  }

  /** The first n examples of a decoder output tiled into one picture. */
  async grid(params: Float32Array, n: number, cols: number, gap = 1) {
    return this.tile(await this.m.toData(params), n, cols, gap);
  }

  /** The first n examples of data-space values (e.g. a model input) tiled into one picture. */
  tile(values: Float32Array, n: number, cols: number, gap = 1) {
    return tileValues(this.m.manifest, values, n, cols, gap);
  }

  /** Shows prior samples decoded before a model is in use (see {@link Preview}). */
  preview(p: Preview): void {
    this.emit('preview', p);
  }

  /** A file of the loaded bundle (fetched from its folder, or read from the dropped files). */
  async bundleFile(name: string): Promise<Uint8Array> {
    const o = this.origin;
    if (o instanceof URL) {
      const res = await fetch(new URL(name, o));
      if (!res.ok) throw new InferError('fetch', `GET ${name}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    }
    const blob = o?.get(name);
    if (!blob) throw new InferError('missing', `the bundle has no ${name}`);
    return new Uint8Array(await blob.arrayBuffer());
  }

  /** Marks a long operation in the status line. */
  busy(text: string | null): void {
    this.emit('busy', text);
  }
}
