import type { HostTensor } from '@vae/core';
import { OrtBackend } from '../backend/ort-backend';
import { loadRunData, splitInputs } from '../data/load-data';
import { checkInt, UsageError } from '../render/errors';
import { decodeMeans, encodeMeans, f32Tensor, pickRows, rawImages, runImage } from '../render/model-images';
import { checkScale, pngGrid, writeOutput } from '../render/png-grid';
import { loadRun } from '../run/run-dir';

/** `vae interp` options. */
export interface InterpCommandOptions {
  /** Run folder (config.json + best.safetensors). */
  readonly run: string;
  /** Decoded points on the path, both endpoints included (>= 2). */
  readonly steps: number;
  /** Output PNG path. */
  readonly png: string;
  /** Test-split index of the first example (default 0). */
  readonly a?: number;
  /** Test-split index of the second example (default 1). */
  readonly b?: number;
  /** Pixels per image pixel, nearest neighbour (default `'auto'`: see `autoScale`). */
  readonly scale?: number | 'auto';
  readonly threads?: number;
}

/** What `vae interp` wrote. */
export interface InterpResult {
  readonly png: string;
  readonly a: number;
  readonly b: number;
  readonly steps: number;
  /** How the path was built: `slerp`, or `lerp` when the two codes are (nearly) parallel. */
  readonly method: 'slerp' | 'lerp';
  readonly width: number;
  readonly height: number;
  /** Pixels per image pixel. */
  readonly scale: number;
}

/** Help text for the CLI. */
export const INTERP_HELP =
  'Interpolate between two test examples (--a, --b) in latent space: spherical interpolation of ' +
  'their posterior means over --steps points (endpoints included), decoded to likelihood means, in ' +
  'one PNG row with the two originals at the ends. Conditional runs interpolate the one-hot ' +
  'condition linearly along the path.';

/** Below this |sin(angle)| the codes count as parallel and the path falls back to a straight line. */
const PARALLEL = 1e-6;

/**
 * Spherical linear interpolation between vectors `a` and `b` at t in [0, 1] (Shoemake 1985):
 * sin((1-t) w)/sin(w) a + sin(t w)/sin(w) b, w the angle between them. Falls back to linear
 * interpolation when either vector is zero or they are (anti-)parallel.
 */
export function slerp(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  t: number,
): { z: Float32Array; method: 'slerp' | 'lerp' } {
  if (a.length !== b.length) throw new UsageError(`slerp: vectors of length ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  const cos = na > 0 && nb > 0 ? Math.min(Math.max(dot / Math.sqrt(na * nb), -1), 1) : 1;
  const omega = Math.acos(cos);
  const sin = Math.sin(omega);
  const lerp = sin < PARALLEL;
  const wa = lerp ? 1 - t : Math.sin((1 - t) * omega) / sin;
  const wb = lerp ? t : Math.sin(t * omega) / sin;
  const z = Float32Array.from({ length: a.length }, (_, i) => wa * a[i]! + wb * b[i]!);
  return { z, method: lerp ? 'lerp' : 'slerp' };
}

const index = (flag: string, v: number, count: number) => {
  checkInt(flag, v, 0);
  if (v >= count) throw new UsageError(`--${flag} ${v} is past the last test example (${count - 1})`);
};

/**
 * `vae interp`: encodes test examples `a` and `b` to their posterior means, walks the great-circle
 * path between them (slerp) in `steps` points and decodes every point in one batched call.
 * @throws UsageError for bad options; RunError for a missing run.
 */
export async function interpCommand(o: InterpCommandOptions): Promise<InterpResult> {
  checkInt('steps', o.steps, 2);
  checkScale(o.scale);
  const a = o.a ?? 0;
  const b = o.b ?? 1;
  const run = loadRun(o.run);
  const img = runImage(run, 'interp');
  const test = (await loadRunData(run.config)).test;
  index('a', a, test.count);
  index('b', b, test.count);
  const cond = run.vae.spec.condition;
  const all = splitInputs(test, run.config.data, cond?.size ?? 0, Math.max(a, b) + 1);
  const inputs: Record<string, HostTensor> = Object.fromEntries(
    Object.entries(all).map(([name, t]) => [name, pickRows(t, [a, b])]),
  );
  const L = run.vae.spec.latent;
  const backend = new OrtBackend({ threads: o.threads });
  let decoded: Float32Array;
  let method: 'slerp' | 'lerp' = 'slerp';
  try {
    const loc = await encodeMeans(backend, run, inputs);
    const za = loc.subarray(0, L);
    const zb = loc.subarray(L, 2 * L);
    const z = new Float32Array(o.steps * L);
    for (let s = 0; s < o.steps; s++) {
      const r = slerp(za, zb, s / (o.steps - 1));
      method = r.method;
      z.set(r.z, s * L);
    }
    let c: HostTensor | undefined;
    if (cond) {
      const ca = inputs.c!.data as Float32Array;
      const data = new Float32Array(o.steps * cond.size);
      for (let s = 0; s < o.steps; s++) {
        const t = s / (o.steps - 1);
        for (let k = 0; k < cond.size; k++)
          data[s * cond.size + k] = (1 - t) * ca[k]! + t * ca[cond.size + k]!;
      }
      c = f32Tensor([o.steps, cond.size], data);
    }
    decoded = await decodeMeans(backend, run, z, c);
  } finally {
    await backend.dispose();
  }
  const size = img.h * img.w * img.c;
  const originals = rawImages(test, [a, b], run.config.data.scale);
  const strip = new Float32Array((o.steps + 2) * size);
  strip.set(originals.subarray(0, size), 0);
  strip.set(decoded, size);
  strip.set(originals.subarray(size), (o.steps + 1) * size);
  const grid = pngGrid(strip, o.steps + 2, { ...img, cols: o.steps + 2, scale: o.scale ?? 'auto' });
  writeOutput(o.png, grid.png);
  const { width, height, scale } = grid;
  return { png: o.png, a, b, steps: o.steps, method, width, height, scale };
}
