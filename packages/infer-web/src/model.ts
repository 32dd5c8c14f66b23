/**
 * The in-page model: onnxruntime-web sessions created once for the bundle's graphs, every call one
 * batched run per graph. Probability (data-space values, prior draws, the score) comes from the
 * bundle's exported graphs; this file only moves arrays and draws their noise from the caller's key.
 */

import type { SeriesWindowsInput, TabularRow, TabularRowInput } from '@vae/core/bundle';
import { type BundleManifest, combineLogWeightChunks } from '@vae/core/bundle';
import { fold, type PRNGKey } from '@vae/random';
import type {
  Decoded,
  Encoded,
  ImputeOptions,
  Inpainted,
  InpaintOptions,
  KeyLike,
  Reconstruction,
  SampleOptions,
  ScoreOptions,
  TabularSampleOptions,
  TextDecodeOptions,
  TextSampleOptions,
  VaeModel,
  ValueOptions,
  WindowReconstruction,
  WindowScores,
} from './api';
import { draw } from './draws';
import { InferError, toInferError } from './errors';
import { type GraphRole, graphInfo, type Sessions } from './graph-roles';
import { inpaint } from './inpaint';
import { type Condition, type Rows, repeatRows, toCondition, toRows } from './inputs';
import { interpolatePath, traversePath } from './latent-ops';
import { ModelBase, toKey } from './model-base';
import type { Backend, Ort } from './runtime';
import { reconstructWindows, scoreWindows } from './series';
import type { SmallBatchDecoder } from './small-batch';
import { imputeRows, reconstructRows, sampleRows } from './tabular';
import { decodeText, encodeText, interpolateText, sampleText } from './text';

const prod = (xs: readonly (number | string)[]) =>
  xs.reduce<number>((p, d) => p * (typeof d === 'number' ? d : 1), 1);

/** Symbolic dims of a run: N (batch) and K (importance samples). */
type Dims = { N: number; K?: number };

export class LocalModel extends ModelBase implements VaeModel {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly features: number;
  private readonly paramShape: number[];

  constructor(
    readonly manifest: BundleManifest,
    private readonly ort: Ort,
    private readonly sessions: Sessions,
    readonly backend: Backend,
    readonly threads: number,
    readonly fallback?: string,
    private readonly small?: SmallBatchDecoder,
  ) {
    super();
    this.features = prod(manifest.data.shape);
    // A text decoder writes ids [N, L]; every other decoder the likelihood's params.
    const out = manifest.decoder.outputs.find((t) => t.name === 'params' || t.name === 'ids')!;
    this.paramShape = out.shape.slice(1) as number[];
  }

  /**
   * One session run at a time per model (onnxruntime-web sessions are not re-entrant). Inputs get
   * their manifest shapes with N and K filled in; noise inputs not in `feeds` are drawn from `key`
   * (the i-th noise input from `fold(key, i)`), standard-normal ones scaled by `scale`. Not part of
   * {@link VaeModel}: the row methods of ./tabular.ts use it.
   */
  run(
    role: GraphRole,
    feeds: Record<string, Float32Array>,
    dims: Dims,
    noise?: { key: PRNGKey; scale?: number },
  ): Promise<Record<string, Float32Array>> {
    if (this.disposed) return Promise.reject(new InferError('disposed', 'this model was disposed'));
    const info = graphInfo(this.manifest, role);
    const small = role === 'decoder' && this.small && dims.N <= this.small.maxRows;
    const session = small ? this.small!.session : this.sessions[role];
    if (!info || !session)
      return Promise.reject(
        new InferError(
          'unsupported',
          `this ${this.manifest.data.kind} bundle has no ${role} graph`,
          `graphs.${role}`,
        ),
      );
    const job = this.queue.then(async () => {
      const inputs: Record<string, InstanceType<Ort['Tensor']>> = {};
      let i = 0;
      for (const t of info.inputs) {
        const shape = t.shape.map((d) => (typeof d === 'number' ? d : (dims[d as keyof Dims] ?? 1)));
        const n = prod(shape);
        let data = feeds[t.name];
        if (!data && t.noise && noise) data = draw(t.noise, fold(noise.key, i), n, noise.scale);
        if (t.noise) i++;
        if (!data) throw new InferError('input', `${info.file} needs input ${t.name}`);
        if (data.length !== n)
          throw new InferError(
            'input',
            `${info.file}: ${t.name} has ${data.length} values, [${shape}] needs ${n}`,
          );
        inputs[t.name] = new this.ort.Tensor('float32', data, shape);
      }
      try {
        const res = await session.run(inputs);
        return Object.fromEntries(Object.entries(res).map(([k, t]) => [k, t.data as Float32Array]));
      } catch (e) {
        throw toInferError(e, 'session', `${info.file}: run failed`);
      }
    });
    this.queue = job.catch(() => undefined);
    return job;
  }

  async decode(z: Rows, c?: Condition): Promise<Decoded> {
    if (this.manifest.data.kind === 'text')
      throw new InferError('input', 'a text bundle decodes to strings: use decodeText or sampleText');
    const { data, n } = toRows(z, this.latent, 'z');
    const feeds: Record<string, Float32Array> = { z: data };
    const cc = toCondition(c, n, this.manifest.condition?.size);
    if (cc) feeds.c = cc;
    const out = await this.run('decoder', feeds, { N: n });
    return { n, z: data, params: out.params!, paramShape: [...this.paramShape] };
  }

  private encodeFeeds(x: Rows, c?: Condition, mask?: Rows) {
    const { data, n } = toRows(x, this.features, 'x');
    const feeds: Record<string, Float32Array> = { x: data };
    const cc = toCondition(c, n, this.manifest.condition?.size);
    if (cc) feeds.c = cc;
    if (this.manifest.likelihood.type === 'tabular') {
      const cols = this.manifest.likelihood.columns.length;
      feeds.mask = mask ? toRows(mask, cols, 'mask').data : new Float32Array(n * cols).fill(1);
    }
    return { feeds, n, c: cc };
  }

  async encode(x: Rows, c?: Condition, mask?: Rows): Promise<Encoded> {
    const { feeds, n } = this.encodeFeeds(x, c, mask);
    const out = await this.run('encoder', feeds, { N: n });
    return { n, loc: out.loc!, scale: out.scale! };
  }

  async sample(n: number, key: KeyLike, opts: SampleOptions = {}): Promise<Decoded> {
    if (!(Number.isInteger(n) && n >= 1))
      throw new InferError('input', `sample: n must be a positive integer, got ${n}`);
    const t = opts.temperature ?? 1;
    if (!(t >= 0 && Number.isFinite(t)))
      throw new InferError('input', `sample: temperature must be >= 0, got ${t}`);
    // z from fold(key, 0), as `vae sample` and sampleRows lay it out (fold(key, 1) is the data draw's).
    return this.decode(await this.priorZ(n, fold(toKey(key), 0), t), opts.c);
  }

  /**
   * n draws of z [n, latent] from the prior with key `k`: a standard-normal prior's draw is its noise
   * (times `scale`); a mixture's comes from the bundle's prior-sample graph, `scale` multiplying its
   * standard-normal noise (the spread of each component).
   */
  async priorZ(n: number, k: PRNGKey, scale = 1): Promise<Float32Array> {
    return this.manifest.graphs.priorSample
      ? (await this.run('priorSample', {}, { N: n }, { key: k, scale })).z!
      : draw('normal', k, n * this.latent, scale);
  }

  async toData(params: Float32Array, opts: ValueOptions = {}): Promise<Float32Array> {
    const per = prod(this.paramShape);
    if (params.length % per !== 0)
      throw new InferError(
        'input',
        `decoder output has ${params.length} values, not a multiple of ${per} per example`,
      );
    const n = params.length / per;
    if (opts.mode !== 'sample') return (await this.run('dataMean', { params }, { N: n })).mean!;
    if (opts.key === undefined) throw new InferError('input', "mode 'sample' needs a key");
    return (await this.run('dataSample', { params }, { N: n }, { key: toKey(opts.key) })).sample!;
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

  /**
   * -log p(x) by the bundle's score graph: encoder -> posterior-sample (z = loc + scale eps) ->
   * decoder -> score, in runs of at most `maxRows` decoded rows; runs combine their log-weights.
   */
  async score(x: Rows, k: number, key: KeyLike, opts: ScoreOptions = {}): Promise<Float64Array> {
    if (!(Number.isInteger(k) && k >= 1))
      throw new InferError('input', `score: k must be a positive integer, got ${k}`);
    const L = this.latent;
    const { feeds, n, c } = this.encodeFeeds(x, opts.c, opts.mask);
    const enc = await this.run('encoder', feeds, { N: n });
    const eps = draw('normal', fold(toKey(key), 0), k * n * L);
    const perRun = Math.max(1, Math.floor((opts.maxRows ?? 8192) / n));
    const chunks: { k: number; data: Float32Array }[] = [];
    let iwae: Float32Array | undefined;
    for (let j0 = 0; j0 < k; j0 += perRun) {
      const kk = Math.min(perRun, k - j0);
      const e = eps.subarray(j0 * n * L, (j0 + kk) * n * L);
      const dims = { N: n, K: kk };
      const q = { loc: enc.loc!, scale: enc.scale!, eps: e };
      const { z } = await this.run('posteriorSample', q, dims);
      const { params } = await this.decode(z!, c ? repeatRows(c, kk) : undefined);
      const out = await this.run(
        'score',
        { ...q, x: feeds.x!, ...(feeds.mask ? { mask: feeds.mask } : {}), params },
        dims,
      );
      chunks.push({ k: kk, data: out.logw! });
      iwae = out.iwae;
    }
    // One run: the graph's bound as is; several: its log-weights combined (core's own combiner).
    const logp = chunks.length === 1 ? iwae! : combineLogWeightChunks(chunks, n);
    return Float64Array.from(logp, (v) => -v);
  }

  sampleRows(n: number, key: KeyLike, opts?: TabularSampleOptions): Promise<TabularRow[]> {
    return sampleRows(this, n, key, opts);
  }

  reconstructRows(rows: readonly TabularRowInput[]): Promise<TabularRow[]> {
    return reconstructRows(this, rows);
  }

  imputeRows(rows: readonly TabularRowInput[], opts?: ImputeOptions): Promise<TabularRow[]> {
    return imputeRows(this, rows, opts);
  }

  inpaint(x: Rows, missing: Rows, opts?: InpaintOptions): Promise<Inpainted> {
    return inpaint(this, x, missing, opts);
  }

  sampleText(n: number, key: KeyLike, opts?: TextSampleOptions): Promise<string[]> {
    return sampleText(this, n, key, opts);
  }

  encodeText(texts: readonly string[]): Promise<Encoded> {
    return encodeText(this, texts);
  }

  decodeText(z: Rows, opts?: TextDecodeOptions): Promise<string[]> {
    return decodeText(this, z, opts);
  }

  interpolateText(a: string, b: string, steps: number, mode?: 'lerp' | 'slerp'): Promise<string[]> {
    return interpolateText(this, a, b, steps, mode);
  }

  reconstructWindows(windows: SeriesWindowsInput): Promise<WindowReconstruction> {
    return reconstructWindows(this, windows);
  }

  scoreWindows(windows: SeriesWindowsInput, key: KeyLike, k?: number): Promise<WindowScores> {
    return scoreWindows(this, windows, key, k);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await Promise.all([...Object.values(this.sessions), this.small?.session].map((s) => s?.release()));
  }

  private checkLatent(z: ArrayLike<number>, what: string): void {
    if (z.length !== this.latent)
      throw new InferError(
        'input',
        `${what} has ${z.length} values; this model's latent size is ${this.latent}`,
      );
  }
}
