// "Ours": the exported decoder on onnxruntime-web (wasm backend). Raw onnxruntime-web for now; see
// bench/README.md for what changes when this goes through @vae/infer-web's loadModel().decode().
import * as ort from 'onnxruntime-web/wasm';
import { LATENT, PIXELS } from './common';

export type Level = 'disabled' | 'basic' | 'extended' | 'all';

export interface OursOptions {
  level?: Level;
  /** false sets the session config entry session.intra_op.allow_spinning = 0. */
  spin?: boolean;
  /** false sets session.disable_prepacking = 1 (weights packed for the kernel on every run). */
  prepack?: boolean;
  /** Rows per session run: a batch of more is decoded in runs of `chunk` rows (same arithmetic per row). */
  chunk?: number;
}

export interface Decoder {
  /** Decodes n latents (row-major [n, 20]) to n x 784 logits. */
  decode(z: Float32Array, n: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Must run before the first session: wasm threads and proxy are fixed when the runtime starts. */
export function configureOrt(threads: number, proxy = false): void {
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = proxy;
}

export function ortThreads(): number {
  return Number(ort.env.wasm.numThreads);
}

export async function createOurs(model: string | Uint8Array, opts: OursOptions = {}): Promise<Decoder> {
  const session = await ort.InferenceSession.create(model as string, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: opts.level ?? 'all',
    extra: {
      session: {
        ...(opts.spin === false ? { intra_op: { allow_spinning: '0' } } : {}),
        ...(opts.prepack === false ? { disable_prepacking: '1' } : {}),
      },
    },
  });
  const [input] = session.inputNames;
  const [output] = session.outputNames;
  // Input tensors are created once per (buffer, n) and reused: ort.Tensor wraps the array without a
  // copy; run() still copies it into the wasm heap and the output out of it.
  // With ort.env.wasm.proxy the input's buffer is transferred to the worker (detached here), so a
  // tensor cannot be reused: copy z on every call instead.
  const proxied = ort.env.wasm.proxy === true;
  const cache = new WeakMap<Float32Array, ort.Tensor>();
  const whole: Decoder['decode'] = async (z, n) => {
    let t = proxied ? undefined : cache.get(z);
    if (proxied) t = new ort.Tensor('float32', z.slice(), [n, LATENT]);
    else if (!t || t.dims[0] !== n) {
      t = new ort.Tensor('float32', z, [n, LATENT]);
      cache.set(z, t);
    }
    const out = await session.run({ [input!]: t });
    const y = out[output!]!;
    if (y.size !== n * PIXELS) throw new Error(`decoder gave ${y.size} values for ${n} latents`);
    return y.data as Float32Array;
  };
  const chunk = opts.chunk;
  if (!chunk) return { decode: whole, release: () => session.release() };
  const parts = new Map<Float32Array, Float32Array[]>();
  return {
    async decode(z, n) {
      if (n <= chunk) return whole(z, n);
      let views = parts.get(z);
      if (!views) {
        views = [];
        for (let r = 0; r < n; r += chunk)
          views.push(z.subarray(r * LATENT, Math.min(n, r + chunk) * LATENT));
        parts.set(z, views);
      }
      const out = new Float32Array(n * PIXELS);
      let r = 0;
      for (const v of views) {
        const m = v.length / LATENT;
        out.set(await whole(v, m), r * PIXELS);
        r += m;
      }
      return out;
    },
    release: () => session.release(),
  };
}

/** The same, but wraps a fresh ort.Tensor around a fresh copy of z on every call (the naive path). */
export async function createOursNaive(model: string | Uint8Array, opts: OursOptions = {}): Promise<Decoder> {
  const d = await createOurs(model, opts);
  return { decode: (z, n) => d.decode(z.slice(), n), release: d.release };
}
