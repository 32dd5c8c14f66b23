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

/**
 * A bar on stderr for chunked work (e.g. importance-sampled NLL: batches x sample chunks); nothing
 * when stderr is not a terminal, so stdout stays one JSON object either way.
 */
export function chunkProgress(label: string): {
  onChunk: (done: number, total: number) => void;
  stop: () => void;
} {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label} [{bar}] {value}/{total} chunks | {eta}s left`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  return {
    onChunk(done, total) {
      if (!bar) return;
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop() {
      if (started) bar?.stop();
    },
  };
}
