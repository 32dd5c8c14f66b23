/** The in-page model: two onnxruntime-web sessions created once, every call one batched run. */
import { type BundleManifest, fold, normal } from '@vae/core';
import type { Decoded, Encoded, KeyLike, Reconstruction, SampleOptions, ScoreOptions, VaeModel } from './api';
import { InferError, toInferError } from './errors';
import { type Condition, type Rows, repeatRows, toCondition, toRows } from './inputs';
import { interpolatePath, traversePath } from './latent-ops';
import { logLikelihood } from './likelihood';
import { logSumExp, normalLogPdf } from './math';
import { ModelBase, toKey } from './model-base';
import { logPrior, samplePrior } from './prior';
import type { Backend, Ort, Session } from './runtime';

const prod = (xs: readonly (number | string)[]) =>
  xs.reduce<number>((p, d) => p * (typeof d === 'number' ? d : 1), 1);

export class LocalModel extends ModelBase implements VaeModel {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly features: number;
  private readonly paramShape: number[];

  constructor(
    readonly manifest: BundleManifest,
    private readonly ort: Ort,
    private readonly encoder: Session,
    private readonly decoder: Session,
    readonly backend: Backend,
    readonly threads: number,
    readonly fallback?: string,
  ) {
    super();
    this.features = prod(manifest.data.shape);
    const out = manifest.decoder.outputs.find((t) => t.name === 'params')!;
    this.paramShape = out.shape.slice(1) as number[];
  }

  /** One session run at a time per model (onnxruntime-web sessions are not re-entrant). */
  private run(session: Session, feeds: Record<string, [Float32Array, number]>, file: string) {
    if (this.disposed) return Promise.reject(new InferError('disposed', 'this model was disposed'));
    const job = this.queue.then(async () => {
      const inputs: Record<string, InstanceType<Ort['Tensor']>> = {};
      for (const [name, [data, n]] of Object.entries(feeds))
        inputs[name] = new this.ort.Tensor('float32', data, [n, data.length / n]);
      try {
        const res = await session.run(reshape(inputs, this.manifest, file));
        return Object.fromEntries(Object.entries(res).map(([k, t]) => [k, t.data as Float32Array]));
      } catch (e) {
        throw toInferError(e, 'session', `${file}: run failed`);
      }
    });
    this.queue = job.catch(() => undefined);
    return job;
  }

  async decode(z: Rows, c?: Condition): Promise<Decoded> {
    const { data, n } = toRows(z, this.latent, 'z');
    const feeds: Record<string, [Float32Array, number]> = { z: [data, n] };
    const cc = toCondition(c, n, this.manifest.condition?.size);
    if (cc) feeds.c = [cc, n];
    const out = await this.run(this.decoder, feeds, this.manifest.decoder.file);
    return { n, z: data, params: out.params!, paramShape: [...this.paramShape] };
  }

  async encode(x: Rows, c?: Condition, mask?: Rows): Promise<Encoded> {
    const { data, n } = toRows(x, this.features, 'x');
    const feeds: Record<string, [Float32Array, number]> = { x: [data, n] };
    const cc = toCondition(c, n, this.manifest.condition?.size);
    if (cc) feeds.c = [cc, n];
    if (this.manifest.likelihood.type === 'tabular') {
      const cols = this.manifest.likelihood.columns.length;
      feeds.mask = [mask ? toRows(mask, cols, 'mask').data : new Float32Array(n * cols).fill(1), n];
    }
    const out = await this.run(this.encoder, feeds, this.manifest.encoder.file);
    return { n, loc: out.loc!, scale: out.scale! };
  }

  async sample(n: number, key: KeyLike, opts: SampleOptions = {}): Promise<Decoded> {
    if (!(Number.isInteger(n) && n >= 1))
      throw new InferError('input', `sample: n must be a positive integer, got ${n}`);
    const t = opts.temperature ?? 1;
    if (!(t >= 0 && Number.isFinite(t)))
      throw new InferError('input', `sample: temperature must be >= 0, got ${t}`);
    return this.decode(samplePrior(this.manifest.prior, this.latent, n, toKey(key), t), opts.c);
  }

  async reconstruct(x: Rows, c?: Condition, mask?: Rows): Promise<Reconstruction> {
    const e = await this.encode(x, c, mask);
    const d = await this.decode(e.loc, c);
    return { ...d, loc: e.loc, scale: e.scale };
  }

  async interpolate(
    a: ArrayLike<number>,
    b: ArrayLike<number>,
    steps: number,
    mode: 'lerp' | 'slerp' = 'lerp',
    c?: Condition,
  ) {
    this.checkLatent(a, 'a');
    return this.decode(interpolatePath(a, b, steps, mode), c);
  }

  async traverse(z: ArrayLike<number>, dim: number, values: ArrayLike<number>, c?: Condition) {
    this.checkLatent(z, 'z');
    return this.decode(traversePath(z, dim, values), c);
  }

  async score(x: Rows, k: number, key: KeyLike, opts: ScoreOptions = {}): Promise<Float64Array> {
    if (!(Number.isInteger(k) && k >= 1))
      throw new InferError('input', `score: k must be a positive integer, got ${k}`);
    const m = this.manifest;
    const L = this.latent;
    const { data: xs, n } = toRows(x, this.features, 'x');
    const cols = m.likelihood.type === 'tabular' ? m.likelihood.columns.length : 0;
    const mask = opts.mask ? toRows(opts.mask, cols, 'mask').data : undefined;
    const cc = toCondition(opts.c, n, m.condition?.size);
    const { loc, scale } = await this.encode(xs, cc, mask);
    const eps = normal(fold(toKey(key), 0), k * n * L);
    const logW = new Float64Array(k * n);
    const perRun = Math.max(1, Math.floor((opts.maxRows ?? 8192) / n));
    for (let j0 = 0; j0 < k; j0 += perRun) {
      const kk = Math.min(perRun, k - j0);
      const z = new Float32Array(kk * n * L);
      for (let r = 0; r < kk * n; r++)
        for (let d = 0; d < L; d++) {
          const i = (r % n) * L + d;
          z[r * L + d] = loc[i]! + Math.fround(scale[i]! * eps[(j0 * n + r) * L + d]!);
        }
      const { params } = await this.decode(z, cc ? repeatRows(cc, kk) : undefined);
      const lx = logLikelihood(m.likelihood, m.data, params, kk * n, xs, (r) => r % n, mask);
      for (let r = 0; r < kk * n; r++) {
        let lq = 0;
        const i = (r % n) * L;
        for (let d = 0; d < L; d++) lq += normalLogPdf(z[r * L + d]!, loc[i + d]!, scale[i + d]!);
        logW[j0 * n + r] = lx[r]! + logPrior(m.prior, z, r, L) - lq;
      }
    }
    return Float64Array.from({ length: n }, (_, i) => Math.log(k) - logSumExp(logW, k, i, n));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await Promise.all([this.encoder.release(), this.decoder.release()]);
  }

  private checkLatent(z: ArrayLike<number>, what: string): void {
    if (z.length !== this.latent)
      throw new InferError(
        'input',
        `${what} has ${z.length} values; this model's latent size is ${this.latent}`,
      );
  }
}

/** Gives every input its manifest shape ([N, ...rest]): x of an image model is [N, C, H, W]. */
function reshape(
  inputs: Record<string, InstanceType<Ort['Tensor']>>,
  m: BundleManifest,
  file: string,
): Record<string, InstanceType<Ort['Tensor']>> {
  const graph = file === m.encoder.file ? m.encoder : m.decoder;
  for (const info of graph.inputs) {
    const t = inputs[info.name];
    if (!t) throw new InferError('input', `${file} needs input ${info.name}`);
    const n = t.dims[0]!;
    const dims = [n, ...(info.shape.slice(1) as number[])];
    if (dims.length !== t.dims.length || dims.some((d, i) => d !== t.dims[i]))
      inputs[info.name] = t.reshape(dims);
  }
  return inputs;
}
