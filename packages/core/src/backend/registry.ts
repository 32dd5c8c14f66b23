import { UserError } from '../errors/user-error';
import type { Backend } from './backend';
import { InterpreterBackend } from './interpreter-backend';

/** Why one backend could not be used. */
export interface BackendFailure {
  readonly name: string;
  /** 'not registered', or the error its `init` threw. */
  readonly reason: string;
  readonly error?: unknown;
}

/** No backend asked for (or, when none was named, none registered) could be used; lists each one tried. */
export class BackendUnavailableError extends UserError {
  override name = 'BackendUnavailableError';
  constructor(readonly failures: readonly BackendFailure[]) {
    super(
      failures.length
        ? `no backend could be used: ${failures.map((f) => `${f.name} (${f.reason})`).join('; ')}`
        : 'no backend could be used: none is registered with a priority >= 0',
    );
  }
}

/** A backend the registry chose, and its name. */
export interface ResolvedBackend {
  readonly name: string;
  readonly backend: Backend;
}

interface Entry {
  readonly backend: Backend;
  readonly priority: number;
  /** Set on first use: init's outcome, shared by every later resolve. */
  init?: Promise<void>;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Backends by name with priorities, as in onnxruntime's js/common: `resolve` initialises them lazily,
 * best first, and falls through to the next when one fails to initialise.
 */
export class BackendRegistry {
  readonly #entries = new Map<string, Entry>();
  /** Registration order, for ties. */
  readonly #order: string[] = [];

  /**
   * Registers `backend` as `name`. A name registered again keeps the higher priority (a lower one is
   * ignored; the same priority with another backend is an error). A negative priority registers a
   * backend that is used only when asked for by name.
   */
  register(name: string, backend: Backend, priority = 0): void {
    const old = this.#entries.get(name);
    if (old && old.priority > priority) return; // the higher registration stands
    if (old && old.priority === priority && old.backend !== backend)
      throw new Error(`backend ${name} is already registered with priority ${priority}`);
    // The same backend keeps its init outcome; a new one starts afresh.
    this.#entries.set(name, { backend, priority, init: old?.backend === backend ? old.init : undefined });
    if (!old) this.#order.push(name);
  }

  /** Registered names, in the order `resolve()` tries them (negative priorities last). */
  names(): string[] {
    const rank = (n: string) => this.#entries.get(n)!.priority;
    return [...this.#order].sort((a, b) => rank(b) - rank(a));
  }

  /**
   * The first backend of `names` (in that order) whose `init` succeeds, or, without names, the first
   * of those with priority >= 0, highest first (ties: first registered). Each backend is initialised
   * once: a failure is remembered and not retried.
   * @throws BackendUnavailableError naming every backend tried and why it failed
   */
  async resolve(names?: readonly string[]): Promise<ResolvedBackend> {
    const tried = names ?? this.names().filter((n) => this.#entries.get(n)!.priority >= 0);
    const failures: BackendFailure[] = [];
    for (const name of tried) {
      const entry = this.#entries.get(name);
      if (!entry) {
        failures.push({ name, reason: 'not registered' });
        continue;
      }
      entry.init ??= entry.backend.init ? entry.backend.init() : Promise.resolve();
      try {
        await entry.init;
        return { name, backend: entry.backend };
      } catch (error) {
        failures.push({ name, reason: `init failed: ${messageOf(error)}`, error });
      }
    }
    throw new BackendUnavailableError(failures);
  }
}

/**
 * The process-wide registry. The reference interpreter is in it as `interpreter` with priority -1:
 * used when asked for by name, never chosen over a registered runtime.
 */
export const backends = new BackendRegistry();
backends.register('interpreter', new InterpreterBackend(), -1);

/** Registers a backend in the process-wide registry (see {@link BackendRegistry.register}). */
export function registerBackend(name: string, backend: Backend, priority = 0): void {
  backends.register(name, backend, priority);
}

/** A backend from the process-wide registry (see {@link BackendRegistry.resolve}). */
export function resolveBackend(names?: readonly string[]): Promise<ResolvedBackend> {
  return backends.resolve(names);
}
