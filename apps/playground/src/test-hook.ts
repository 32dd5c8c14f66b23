/** window.__vae: the little the e2e tests need (decode a z, the picture of a z, the picked points). */
import type { App } from './app';

export interface TestHook {
  /** Resolves once the first load attempt is over (true when a model is in use). */
  ready: Promise<boolean>;
  /** Decoder output params for one z (with `label`, or the current label, on conditional models). */
  decode(z: number[], label?: number): Promise<number[]>;
  /** RGBA bytes of the decoded z, as the views paint it. */
  pixels(z: number[], label?: number): Promise<number[]>;
  state(): {
    a: number[];
    b: number[];
    point: number[];
    label: number;
    threads: number;
    latent: number;
    source: string;
  };
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
  window.__vae = {
    ready,
    decode: async (z, label) => Array.from((await decode(z, label)).params),
    pixels: async (z, label) => Array.from(app.m.toRGBA((await decode(z, label)).params)),
    state: () => ({
      a: Array.from(app.a),
      b: Array.from(app.b),
      point: Array.from(app.point),
      label: app.label,
      threads: app.model?.threads ?? 0,
      latent: app.latent,
      source: app.source,
    }),
  };
}
