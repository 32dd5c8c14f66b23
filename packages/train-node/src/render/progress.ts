import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../train/trainer';

/**
 * A progress bar on stderr (samples/s and running loss); one plain line per epoch when stderr is
 * not a terminal (CI logs, pipes).
 */
export function progressReporter(epochs: number): {
  onProgress: (p: ProgressEvent) => void;
  stop: () => void;
} {
  const tty = process.stderr.isTTY;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'epoch {epoch}/{epochs} [{bar}] {value}/{total} steps | {sps} samples/s | loss {loss}{val}',
      hideCursor: true,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = -1;
  const fields = (p: ProgressEvent) => ({
    epoch: p.epoch + 1,
    epochs,
    sps: Math.round(p.samplesPerSecond),
    loss: p.runningLoss.toFixed(2),
    val: p.valElbo !== undefined ? ` | val -ELBO ${p.valElbo.toFixed(2)}` : '',
  });
  return {
    onProgress(p) {
      if (!tty) {
        if (p.valElbo !== undefined || (p.stepInEpoch === p.stepsPerEpoch && p.valElbo === undefined))
          process.stderr.write(
            `epoch ${p.epoch + 1}/${epochs}: loss ${p.runningLoss.toFixed(2)}, ${Math.round(p.samplesPerSecond)} samples/s${fields(p).val}\n`,
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
