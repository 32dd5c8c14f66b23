import { BundleError, type BundleErrorReason, UserError } from '@vae/core/bundle';

/**
 * Why a call failed: every {@link BundleErrorReason} (the bundle does not match its manifest), plus
 * - `fetch`: a bundle file could not be downloaded;
 * - `session`: onnxruntime-web could not create or run a session;
 * - `input`: arguments that do not fit the model (a z of the wrong length, a bad dim, ...);
 * - `disposed`: the model was disposed;
 * - `worker`: the Web Worker failed or could not be started.
 */
export type InferErrorReason = BundleErrorReason | 'fetch' | 'session' | 'input' | 'disposed' | 'worker';

/** The one error type of `@vae/infer-web`: `reason` says what went wrong, the message says where. */
export class InferError extends UserError {
  override name = 'InferError';
  constructor(
    readonly reason: InferErrorReason,
    message: string,
    /** The manifest field at fault, when there is one (e.g. `prior.weights`). */
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `e` as an InferError: BundleErrors keep their reason and path, anything else gets `fallback`. */
export function toInferError(e: unknown, fallback: InferErrorReason, context?: string): InferError {
  if (e instanceof InferError) return e;
  if (e instanceof BundleError) return new InferError(e.reason, e.message, e.path, { cause: e });
  const msg = e instanceof Error ? e.message : String(e);
  return new InferError(fallback, context ? `${context}: ${msg}` : msg, undefined, { cause: e });
}
