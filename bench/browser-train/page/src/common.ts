// The recipe both browser peers train (`vae train`'s default on the embedded digits), the training
// data (fetched as bytes the driver wrote next to the page) and the batches: shuffled each epoch,
// last partial batch dropped, pixels binarised afresh on every visit (x ~ Bernoulli(k / 255)).

/** `vae train`'s default image recipe (recipe-flags.ts): MLP 784-400-20, Adam lr 1e-3, batch 128. */
export const RECIPE = {
  pixels: 784,
  hidden: 400,
  latent: 20,
  batch: 128,
  lr: 1e-3,
} as const;

/** Where the driver puts the 8000 training digits (uint8, 784 bytes each, no header). */
export const DATA_URL = '/data/train.u8';

/** The training digits: `count` x 784 uint8 pixels. */
export interface Digits {
  readonly bytes: Uint8Array;
  readonly count: number;
}

export async function fetchDigits(url = DATA_URL): Promise<Digits> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  const bytes = new Uint8Array(await r.arrayBuffer());
  if (bytes.length % RECIPE.pixels)
    throw new Error(`${url}: ${bytes.length} bytes is not a whole number of digits`);
  return { bytes, count: bytes.length / RECIPE.pixels };
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Batches of dynamically binarised digits, epoch after epoch, each epoch in a fresh shuffled order. */
export class Batches {
  readonly stepsPerEpoch: number;
  readonly x: Float32Array;
  #order: Uint32Array;
  #at = 0;
  #epoch = 0;
  readonly #rand: () => number;

  constructor(
    readonly data: Digits,
    readonly batch: number = RECIPE.batch,
    seed = 1,
  ) {
    this.stepsPerEpoch = Math.floor(data.count / batch);
    this.x = new Float32Array(batch * RECIPE.pixels);
    this.#order = new Uint32Array(data.count);
    this.#rand = rng(seed);
    this.#shuffle();
  }

  get epoch(): number {
    return this.#epoch;
  }

  #shuffle(): void {
    const o = this.#order;
    for (let i = 0; i < o.length; i++) o[i] = i;
    for (let i = o.length - 1; i > 0; i--) {
      const j = Math.floor(this.#rand() * (i + 1));
      const t = o[i]!;
      o[i] = o[j]!;
      o[j] = t;
    }
  }

  /** Fills and returns `x` with the next batch ([batch, 784], 0/1 values). */
  next(): Float32Array {
    if (this.#at === this.stepsPerEpoch) {
      this.#at = 0;
      this.#epoch++;
      this.#shuffle();
    }
    const { bytes } = this.data;
    const P = RECIPE.pixels;
    const rand = this.#rand;
    const x = this.x;
    for (let r = 0; r < this.batch; r++) {
      const src = this.#order[this.#at * this.batch + r]! * P;
      const dst = r * P;
      for (let i = 0; i < P; i++) x[dst + i] = rand() * 255 < bytes[src + i]! ? 1 : 0;
    }
    this.#at++;
    return x;
  }
}

/** Timed steps of one peer: samples/s over `steps` steps that followed `warmup` untimed ones. */
export interface BlockResult {
  peer: string;
  threads: number;
  warmup: number;
  steps: number;
  seconds: number;
  samplesPerSecond: number;
  /** Training loss (negative ELBO, nats per example) of each timed step, where the peer reports it. */
  losses: number[];
  /** Steps this peer's model had taken before the block (blocks continue training one model). */
  stepsBefore: number;
}

/** A cold-start page's result: navigation to the first completed step, then a short training run. */
export interface ColdResult {
  peer: string;
  threads: number;
  /** performance.now() (ms since navigation start) at named points; `firstStep` is the headline. */
  marks: Record<string, number>;
  /** Threads the runtime reports it uses. */
  runtimeThreads: number;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** Steps after the first and their samples/s (the memory figures are read after them). */
  steps: number;
  samplesPerSecond: number;
  firstLoss: number;
  lastLoss: number;
  /** Runtime-specific memory facts (e.g. tfjs tensor bytes, wasm heap size). */
  memory: Record<string, number>;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

declare global {
  interface Window {
    /** Set by a cold-start page once its first step and short run are done. */
    __trainCold?: ColdResult;
    __trainColdError?: string;
    /** Set by blank.html: the renderer's own memory, for a baseline. */
    __trainBlank?: boolean;
  }
}

/** The `?threads=N` and `?steps=N` of a page's URL. */
export const pageParams = new URLSearchParams(location.search);
export const pageThreads = Number(pageParams.get('threads') ?? '1');
/** Steps a cold-start page trains after its first (default one epoch of the 8000 digits). */
export const pageSteps = Number(pageParams.get('steps') ?? '62');

/** What a cold-start page measures itself; publishCold adds the page's threads and isolation. */
export type ColdFigures = Omit<ColdResult, 'threads' | 'crossOriginIsolated' | 'hardwareConcurrency'>;

/** Runs a cold-start page's work and hands its result, or its error, to the driver. */
export async function publishCold(work: () => Promise<ColdFigures>): Promise<void> {
  try {
    const { peer, marks, runtimeThreads, ...rest } = await work();
    window.__trainCold = {
      peer,
      threads: pageThreads,
      marks,
      runtimeThreads,
      crossOriginIsolated,
      hardwareConcurrency: navigator.hardwareConcurrency,
      ...rest,
    };
  } catch (e) {
    window.__trainColdError = String(e instanceof Error ? (e.stack ?? e.message) : e);
  }
}
