import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../train/trainer';

/** `m:ss`, or `h:mm:ss` from an hour up. */
export function clock(seconds: number): string {
  const t = Math.max(0, Math.round(seconds));
  const [h, m, s] = [Math.floor(t / 3600), Math.floor((t % 3600) / 60), t % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/**
 * Time spent and left for the whole run: the rate is this invocation's steps over its wall time
 * (a resumed run counts from where it resumed), the remainder is up to `epochs` full epochs.
 */
export function runClock(epochs: number, now: () => number = () => performance.now()) {
  const t0 = now();
  let firstStep: number | null = null;
  return (p: ProgressEvent): { elapsed: string; left: string } => {
    firstStep ??= p.step - p.stepInEpoch; // the epoch's first step (an event comes after a call)
    const seconds = (now() - t0) / 1000;
    const done = p.step - firstStep;
    const remaining = epochs * p.stepsPerEpoch - p.step;
    const left = done > 0 ? clock((remaining * seconds) / done) : '?';
    return { elapsed: clock(seconds), left };
  };
}

/**
 * A progress bar on stderr (samples/s, running loss, elapsed time and what is left of the whole run);
 * one plain line per epoch, after its validation, when stderr is not a terminal (CI logs, pipes).
 */
export function progressReporter(epochs: number): {
  onProgress: (p: ProgressEvent) => void;
  stop: () => void;
} {
  const tty = process.stderr.isTTY;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format:
        'epoch {epoch}/{epochs} [{bar}] {value}/{total} steps | {sps} samples/s | loss {loss}{val} | {elapsed} elapsed, ~{left} left',
      hideCursor: true,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const times = runClock(epochs);
  let started = -1;
  const fields = (p: ProgressEvent) => ({
    epoch: p.epoch + 1,
    epochs,
    sps: Math.round(p.samplesPerSecond),
    loss: p.runningLoss.toFixed(2),
    val: p.valElbo !== undefined ? ` | val -ELBO ${p.valElbo.toFixed(2)}` : '',
    ...times(p),
  });
  return {
    onProgress(p) {
      if (!tty) {
        if (!p.epochEnd) return;
        const f = fields(p);
        process.stderr.write(
          `epoch ${f.epoch}/${epochs}: loss ${f.loss}${f.val}, ${f.sps} samples/s, ${f.elapsed} elapsed, ~${f.left} left\n`,
        );
        return;
      }
      if (started !== p.epoch) {
        if (started >= 0) bar.stop();
        bar.start(p.stepsPerEpoch, p.stepInEpoch, fields(p));
        started = p.epoch;
      }
      bar.update(p.stepInEpoch, fields(p));
    },
    stop() {
      if (tty && started >= 0) bar.stop();
    },
  };
}

/** Options of {@link chunkProgress}. */
export interface ChunkProgressOptions {
  /** No output at all (`--quiet`). */
  readonly quiet?: boolean;
  /** Milliseconds now (tests); default `performance.now`. */
  readonly now?: () => number;
}

/**
 * Progress of chunked work (e.g. importance-sampled NLL: batches x sample chunks) on stderr: a bar on
 * a terminal; otherwise (CI logs, pipes) a plain line at every further tenth done, with elapsed time
 * and what is left, so a long `vae eval --iw 1000` shows it is alive. Stdout is left alone either
 * way: it carries the command's one JSON line.
 */
export function chunkProgress(
  label: string,
  opts: ChunkProgressOptions = {},
): {
  onChunk: (done: number, total: number) => void;
  stop: () => void;
} {
  const tty = process.stderr.isTTY && !opts.quiet;
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label} [{bar}] {value}/{total} chunks | {eta}s left`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  let started = false;
  let tenths = 0; // tenths of the work already reported
  return {
    onChunk(done, total) {
      if (opts.quiet) return;
      if (bar) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
        return;
      }
      const reached = Math.floor((10 * done) / total);
      if (reached <= tenths) return;
      tenths = reached;
      const seconds = (now() - t0) / 1000;
      const head = `${label}: ${Math.floor((100 * done) / total)}% (${done}/${total} chunks), ${clock(seconds)} elapsed`;
      process.stderr.write(
        done >= total ? `${head}\n` : `${head}, ~${clock((seconds * (total - done)) / done)} left\n`,
      );
    },
    stop() {
      if (started) bar?.stop();
    },
  };
}
