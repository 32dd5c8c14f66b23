import { binarizeDraws } from '@vae/random';
import type { Dataset } from '../dataset';
import { type DataKey, foldIn, type KeyLike } from '../random';
import { WasmBinarizer } from './binarize/wasm-binarizer';

/**
 * A float32 model input as the feeder makes it: `@vae/core`'s `HostTensor<'float32'>` in shape,
 * declared here because datasets does not import core.
 */
export interface FeedTensor {
  readonly dtype: 'float32';
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** How examples become model inputs. */
export interface FeedSpec {
  /** The model's data shape (same element count as the dataset's example shape, e.g. [784] for [28, 28]). */
  readonly shape: readonly number[];
  /**
   * true: dynamic binarisation, each visit draws x ~ Bernoulli(pixel intensity), keyed by (epoch,
   * example); `'threshold'`: x = 1 where the intensity is >= 0.5 (fixed); false: the values as stored.
   */
  readonly binarize: boolean | 'threshold';
  /**
   * Uniform dequantisation of uint8 pixels for continuous densities: x = (k + u) / 256 with
   * u ~ U[0, 1) drawn like the binarisation draws, keyed by (epoch, example). Ignored without a key
   * (`all(from, count, null)` gives k / scale).
   */
  readonly dequantize?: boolean;
  /** Divide stored values by this (255 for uint8 images; 1 for data already in model units). */
  readonly scale: number;
  /** One-hot condition width for conditional models (labels -> c), 0 when unconditional. */
  readonly conditionSize: number;
  /**
   * Tabular models: the feature index where each column starts. The model's mask is per column
   * (1 = observed); the dataset's mask is per feature.
   */
  readonly maskColumns: readonly number[] | null;
  /** Key of the binarisation draws. */
  readonly key: KeyLike;
}

// Binarisation compares a 16-bit uniform u with ceil(p * 2^16): P(x = 1) = p to within 2^-16.
// The draws come from @vae/random's per-example binarisation streams (binarizeDraws).
const TWO16 = 65536;

/**
 * Fills [rows, ...exampleShape] inputs (x, and c / mask when the model takes them) for the given
 * dataset rows. Draws depend only on (key, epoch, example index), never on batch layout, so a
 * resumed run sees exactly the data an uninterrupted one would.
 */
export class Feeder {
  readonly #draws: Uint16Array;
  /** The SIMD kernel for uint8 images (null for other dtypes, or where WebAssembly is missing). */
  readonly #wasm: WasmBinarizer | null;
  #x: Float32Array | null = null;

  constructor(
    readonly data: Dataset,
    readonly spec: FeedSpec,
  ) {
    const want = spec.shape.reduce((a, d) => a * d, 1);
    if (want !== data.exampleSize)
      throw new Error(
        `${data.name}: examples have ${data.exampleSize} values [${data.exampleShape.join(', ')}], the model takes [${spec.shape.join(', ')}]`,
      );
    this.#draws = new Uint16Array(data.exampleSize);
    // The kernel's rule is p = k / 255, so it serves uint8 data stored on that scale.
    this.#wasm =
      spec.binarize === true && data.dtype === 'uint8' && spec.scale === 255 ? WasmBinarizer.create() : null;
  }

  /** Writes example `index` into `out` at row `row` (x), binarised for `epoch` if asked. */
  #fillX(out: Float32Array, row: number, index: number, epochKey: DataKey | null): void {
    const size = this.data.exampleSize;
    const src = this.data.data as ArrayLike<number>;
    const base = index * size;
    const at = row * size;
    if (!epochKey) {
      const s = this.spec.scale;
      if (this.spec.binarize === 'threshold')
        for (let j = 0; j < size; j++) out[at + j] = src[base + j]! / s >= 0.5 ? 1 : 0;
      else for (let j = 0; j < size; j++) out[at + j] = src[base + j]! / s;
      return;
    }
    const draws = this.#draws;
    binarizeDraws(epochKey, index, size, draws);
    if (this.spec.dequantize) {
      // u = (d + 0.5) / 2^16 in (0, 1): x = (k + u) / 256 lies strictly inside (0, 1).
      for (let j = 0; j < size; j++) out[at + j] = (src[base + j]! + (draws[j]! + 0.5) / TWO16) / 256;
      return;
    }
    const scale = this.spec.scale;
    for (let j = 0; j < size; j++)
      out[at + j] = draws[j]! < Math.ceil(Math.min(Math.max(src[base + j]! / scale, 0), 1) * TWO16) ? 1 : 0;
  }

  /**
   * Inputs for `rows` examples in `order[start..start+steps*batch)`, shaped [steps, batch, ...].
   * @param epoch - the epoch the examples are drawn for (selects the binarisation)
   * @param reuse - overwrite the x buffer returned by the previous `reuse` call
   */
  fill(
    order: Uint32Array,
    start: number,
    steps: number,
    batch: number,
    epoch: number,
    reuse = false,
  ): Record<string, FeedTensor> {
    const n = steps * batch;
    const shape = [steps, batch];
    const epochKey =
      this.spec.binarize === true || this.spec.dequantize ? foldIn(this.spec.key, epoch) : null;
    let x: Float32Array;
    if (epochKey && this.#wasm) {
      // The hot path (binarised uint8 images): the kernel's output, a view valid until the next
      // call, is handed on as is when the caller reuses buffers.
      const view = this.#wasm.binarize(
        this.data.data as Uint8Array,
        this.data.exampleSize,
        order,
        start,
        n,
        epochKey,
      );
      x = reuse ? view : view.slice();
    } else {
      // `reuse`: write into the previous call's x buffer (the caller is done with it), which saves
      // a fresh multi-megabyte allocation and its page faults on every run.
      const length = n * this.data.exampleSize;
      x = reuse && this.#x?.length === length ? this.#x : new Float32Array(length);
      if (reuse) this.#x = x;
      for (let r = 0; r < n; r++) this.#fillX(x, r, order[start + r]!, epochKey);
    }
    const out: Record<string, FeedTensor> = {
      x: { dtype: 'float32', shape: [...shape, ...this.spec.shape], data: x },
    };
    if (this.spec.conditionSize) out.c = this.#onehot(order, start, n, shape);
    if (this.spec.maskColumns) out.mask = this.#mask(order, start, n, shape);
    return out;
  }

  /** Every example in dataset order, for evaluation ([count, ...]; binarised once with `key`). */
  all(from = 0, count = this.data.count, key: KeyLike | null = null): Record<string, FeedTensor> {
    const order = Uint32Array.from({ length: count }, (_, i) => from + i);
    // A fixed draw (`key`), or the stored values when there is no key or no random draw
    // (thresholding is not random and always applies).
    const spec =
      key === null
        ? {
            ...this.spec,
            binarize: this.spec.binarize === 'threshold' ? ('threshold' as const) : false,
            dequantize: false,
          }
        : { ...this.spec, key };
    const out = new Feeder(this.data, spec).fill(order, 0, 1, count, 0);
    return Object.fromEntries(
      Object.entries(out).map(([n, t]) => [n, { ...t, shape: t.shape.slice(1) } as FeedTensor]),
    );
  }

  #onehot(order: Uint32Array, start: number, n: number, shape: number[]): FeedTensor {
    const labels = this.data.labels;
    if (!labels) throw new Error(`${this.data.name} has no labels: a conditional model needs them`);
    const c = this.spec.conditionSize;
    const data = new Float32Array(n * c);
    for (let r = 0; r < n; r++) {
      const label = labels[order[start + r]!]!;
      if (label >= c) throw new Error(`${this.data.name}: label ${label} does not fit condition size ${c}`);
      data[r * c + label] = 1;
    }
    return { dtype: 'float32', shape: [...shape, c], data };
  }

  #mask(order: Uint32Array, start: number, n: number, shape: number[]): FeedTensor {
    const size = this.data.exampleSize;
    const starts = this.spec.maskColumns!;
    const cols = starts.length;
    const m = this.data.mask;
    const data = new Float32Array(n * cols).fill(1);
    if (m)
      for (let r = 0; r < n; r++)
        for (let c = 0; c < cols; c++) data[r * cols + c] = m[order[start + r]! * size + starts[c]!]!;
    return { dtype: 'float32', shape: [...shape, cols], data };
  }
}
