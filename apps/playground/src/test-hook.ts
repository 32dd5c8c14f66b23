/** window.__vae: the little the e2e tests need (decode a z, the picture of a z, the picked points). */
import { loadModel } from '@vae/infer-web';
import type { App } from './app';
import { trainSteps } from './train/train-test-hook';

export interface TestHook {
  /** Resolves once the first load attempt is over (true when a model is in use). */
  ready: Promise<boolean>;
  /** Decoder output params for one z (with `label`, or the current label, on conditional models). */
  decode(z: number[], label?: number): Promise<number[]>;
  /**
   * The start-up's interpreter grid (null when it did not apply) and which path painted the first
   * picture (`vae:first-picture`'s detail), for e2e/first-picture.test.ts.
   */
  firstPicture(): { path: string | null; grid: PreviewData | null };
  /** `model.sample(n, seed, { temperature, c })` then `toData` on the model in use (onnxruntime-web). */
  sample(
    n: number,
    seed: number,
    temperature: number,
  ): Promise<Omit<PreviewData, 'seed' | 'temperature' | 'label'>>;
  /** RGBA bytes of the decoded z, as the views paint it. */
  pixels(z: number[], label?: number): Promise<number[]>;
  /**
   * Loads a bundle from its files (base64 by name) and returns `model.score(x, k, seed)`: the e2e
   * check that the exported score graph in Chromium equals core's iwaeBound.
   */
  score(
    files: Record<string, string>,
    x: number[],
    k: number,
    seed: number,
    opts?: { c?: number[]; mask?: number[] },
  ): Promise<number[]>;
  /** Per-step losses of the first steps of a fresh run in the tab (train-here.test.ts's parity check). */
  trainSteps: typeof trainSteps;
  state(): {
    a: number[];
    b: number[];
    point: number[];
    /** Where the chosen point came from, in words. */
    pointSource: string;
    seed: number;
    temperature: number;
    label: number;
    /** The manifest of the model in use (null before one loads). */
    manifest: unknown;
    threads: number;
    latent: number;
    source: string;
  };
}

/** The interpreter's grid as plain arrays. */
export interface PreviewData {
  seed: number;
  temperature: number;
  label: number;
  z: number[];
  params: number[];
  values: number[];
}

declare global {
  interface Window {
    __vae?: TestHook;
  }
}

export function installTestHook(app: App, ready: Promise<boolean>): void {
  const decode = (z: number[], label?: number) => {
    const m = app.m;
    const c = m.manifest.condition ? (label ?? app.label) : undefined;
    return m.decode(Float32Array.from(z), c);
  };
  let grid: PreviewData | null = null;
  app.on('preview', (p) => {
    const { seed, temperature, label } = p;
    grid = { seed, temperature, label, z: [...p.z], params: [...p.params], values: [...p.values] };
  });
  window.__vae = {
    ready,
    firstPicture: () => {
      const mark = performance.getEntriesByName('vae:first-picture')[0] as PerformanceMark | undefined;
      return { path: (mark?.detail as { path?: string } | undefined)?.path ?? null, grid };
    },
    sample: async (n, seed, temperature) => {
      const out = await app.m.sample(n, seed, { temperature, ...app.cOpt() });
      return { z: [...out.z], params: [...out.params], values: [...(await app.m.toData(out.params))] };
    },
    decode: async (z, label) => Array.from((await decode(z, label)).params),
    pixels: async (z, label) => Array.from(await app.m.toRGBA((await decode(z, label)).params)),
    score: async (files, x, k, seed, opts = {}) => {
      const bytes = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const model = await loadModel(Object.fromEntries(Object.entries(files).map(([n, b]) => [n, bytes(b)])));
      try {
        const s = await model.score(Float32Array.from(x), k, seed, {
          ...(opts.c ? { c: Float32Array.from(opts.c) } : {}),
          ...(opts.mask ? { mask: Float32Array.from(opts.mask) } : {}),
        });
        return Array.from(s);
      } finally {
        await model.dispose();
      }
    },
    trainSteps,
    state: () => ({
      a: Array.from(app.a),
      b: Array.from(app.b),
      point: Array.from(app.point),
      pointSource: app.pointSource,
      seed: app.seed,
      temperature: app.temperature,
      label: app.label,
      manifest: app.model?.manifest ?? null,
      threads: app.model?.threads ?? 0,
      latent: app.latent,
      source: app.source,
    }),
  };
}
