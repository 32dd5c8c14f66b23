import { RunError } from './run-dir';

/** The signals that ask a writing command to stop (Ctrl-C, `kill`, a closed terminal). */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** While active, the first stop signal aborts `signal`; a second one exits at once (exit handlers run, locks are released). */
export interface Interrupt {
  readonly signal: AbortSignal;
  /** Restores the signals' previous handling. */
  dispose(): void;
}

/**
 * Catches SIGINT/SIGTERM/SIGHUP for a command that should stop cleanly (the trainer saves a
 * checkpoint at its next step boundary). The abort reason is the signal's name.
 */
export function interruptOnSignals(): Interrupt {
  const ac = new AbortController();
  const handlers = STOP_SIGNALS.map((sig) => {
    const h = () => {
      if (ac.signal.aborted) process.exit(CODES[sig]);
      // No terminal to tell after a SIGHUP.
      if (sig !== 'SIGHUP')
        process.stderr.write(`\nvae: ${sig}: stopping at the next step boundary (again to stop at once)\n`);
      ac.abort(sig);
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return {
    signal: ac.signal,
    dispose() {
      for (const [sig, h] of handlers) process.off(sig, h);
    },
  };
}

/** A command stopped by a signal (after saving what it could). `name` stays `RunError` (a known CLI error). */
export class RunStoppedError extends RunError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}
