/**
 * What both model kinds (in page, in a worker) share: keys, and pictures of decoded examples (their
 * data-space values come from the bundle's data graphs, through `toData`).
 */
import type { BundleManifest } from '@vae/core/bundle';
import { type PRNGKey, key as seedKey } from '@vae/random';
import type { KeyLike, PictureOptions, ValueOptions } from './api';
import { InferError } from './errors';
import { type ImageGeometry, toImageData, toRGBA } from './image';

/** A PRNGKey from a key or an integer seed. */
export function toKey(k: KeyLike): PRNGKey {
  if (typeof k === 'number') {
    try {
      return seedKey(k);
    } catch (e) {
      throw new InferError('input', (e as Error).message, undefined, { cause: e });
    }
  }
  if (k && typeof k.k0 === 'number' && typeof k.k1 === 'number') return k;
  throw new InferError('input', 'key must be a PRNGKey ({ k0, k1 }) or an integer seed');
}

export abstract class ModelBase {
  abstract readonly manifest: BundleManifest;

  get latent(): number {
    return this.manifest.latent;
  }

  /** Data-space values of decoder output, by the bundle's data-mean or data-sample graph. */
  abstract toData(params: Float32Array, opts?: ValueOptions): Promise<Float32Array>;

  private async picture(params: Float32Array, opts: PictureOptions) {
    const img = this.manifest.data.image;
    const geom: ImageGeometry = {
      h: opts.h ?? img?.height ?? 0,
      w: opts.w ?? img?.width ?? 0,
      c: opts.c ?? img?.channels ?? 1,
    };
    if (!(geom.h > 0 && geom.w > 0))
      throw new InferError('input', 'this bundle has no image geometry: pass h, w (and c)');
    const index = opts.index ?? 0;
    const count = this.exampleCount(params);
    if (!(Number.isInteger(index) && index >= 0 && index < count))
      throw new InferError('input', `index ${index} is outside the batch of ${count}`);
    const per = params.length / count;
    const one = params.subarray(index * per, (index + 1) * per);
    if (opts.mode === 'sample' && opts.key === undefined)
      throw new InferError('input', "mode 'sample' needs a key");
    const values = await this.toData(one.slice(), opts);
    const s = this.manifest.data.scaling;
    return { values, geom, range: s.type === 'unit' ? ([0, 1] as const) : minMax(values) };
  }

  /** RGBA bytes of example `index`: values in [0, 1] for unit-scaled data, else stretched min..max. */
  async toRGBA(params: Float32Array, opts: PictureOptions = {}): Promise<Uint8ClampedArray> {
    const { values, geom, range } = await this.picture(params, opts);
    return toRGBA(values, geom, { range });
  }

  async toImageData(params: Float32Array, opts: PictureOptions = {}): Promise<ImageData> {
    const { values, geom, range } = await this.picture(params, opts);
    return toImageData(values, geom, { range });
  }

  /** Examples in a decoder output. */
  private exampleCount(params: Float32Array): number {
    const p = this.manifest.decoder.outputs.find((t) => t.name === 'params')!;
    const per = p.shape.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
    if (params.length % per !== 0)
      throw new InferError(
        'input',
        `params has ${params.length} values, not a multiple of ${per} per example`,
      );
    return params.length / per;
  }
}

function minMax(v: Float32Array): readonly [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of v) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}
