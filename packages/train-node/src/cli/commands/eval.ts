import type { CAC } from 'cac';
import { parseDevice } from '../../backend/device';
import { evalCommand } from '../../eval/eval-command';
import { chunkProgress } from '../../render/progress';
import {
  DEVICE_FLAG,
  need,
  num,
  optNum,
  optThreads,
  printResult,
  QUIET_FLAG,
  RUN_FLAG,
  SPLIT_FLAG,
  THREADS_FLAG,
  withFlags,
} from '../flags';
import { nats, plural } from '../summary';

/** The headline figures of an eval report, in words: nats per example, bits/dim where they fit. */
function evalSummary(run: string, r: Awaited<ReturnType<typeof evalCommand>>): string[] {
  const nll =
    r.nll_iw === null
      ? ''
      : `, NLL ${nats(r.nll_iw)} (importance-sampled, k = ${r.iw}${r.bits_per_dim === null ? '' : `; ${r.bits_per_dim.toFixed(3)} bits/dim`})`;
  const units = r.kl_per_dim ? `${r.active_units}/${r.kl_per_dim.length}` : `${r.active_units}`;
  const lines = [
    `evaluated ${run} on the ${r.split} split (${plural(r.n, 'example')}), per example: -ELBO ${nats(r.elbo)}${nll}`,
    `  reconstruction ${nats(r.recon)}, KL ${nats(r.kl)}, ${units} active latent units`,
  ];
  const s = r.series;
  if (s)
    lines.push(
      `  per time step (windows of ${s.window}, standardised units): -ELBO ${nats(s.elbo_per_step)}${s.nll_iw_per_step === null ? '' : `, NLL ${nats(s.nll_iw_per_step)}`}, KL ${nats(s.kl_per_step)}`,
    );
  const t = r.text;
  if (t)
    lines.push(
      `  per character (${t.positions_per_sequence.toFixed(2)} characters + EOS per sequence${t.lm ? '; a language model: its bound is exact' : ''}): ${t.bits_per_char === null ? '' : `NLL ${t.bits_per_char.toFixed(3)} bits, `}-ELBO ${t.elbo_bits_per_char.toFixed(3)} bits`,
    );
  return lines;
}

/** `vae eval`: its flags, and the report it prints (one JSON object, and {@link evalSummary}). */
export function register(cli: CAC): void {
  const help = 'Evaluate a run: test ELBO, importance-sampled NLL, recon, KL, active units (one JSON object)';
  withFlags(cli.command('eval', help), [
    RUN_FLAG,
    { name: '--iw <k>', help: 'importance samples for the NLL (0 to skip)', default: 1000 },
    SPLIT_FLAG,
    { name: '--limit <n>', help: 'only the first n examples of the split' },
    THREADS_FLAG,
    DEVICE_FLAG,
    QUIET_FLAG,
  ]).action(async (f: Record<string, unknown>) => {
    const quiet = f.quiet === true;
    const bar = chunkProgress('importance sampling', { quiet });
    const run = need('run', f.run);
    const r = await evalCommand({
      run,
      iw: num('iw', f.iw),
      split: String(f.split) as 'test',
      limit: optNum('limit', f.limit),
      threads: optThreads(f.threads),
      device: parseDevice(f.device),
      onProgress: bar.onChunk,
    }).finally(bar.stop);
    printResult(r, evalSummary(run, r), quiet);
  });
}
