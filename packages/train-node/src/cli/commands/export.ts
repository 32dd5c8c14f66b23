import type { CAC } from 'cac';
import { parseDevice } from '../../backend/device';
import { type ExportResult, exportRun } from '../../export/export-run';
import { formatBytes } from '../../render/onnx-summary';
import { DEVICE_FLAG, need, optInt, optThreads, printResult, QUIET_FLAG, THREADS_HELP } from '../flags';
import { nats, plural } from '../summary';

/** A max abs diff: `0` or `3.1e-7`. */
const diff = (v: number) => (v === 0 ? '0' : v.toExponential(1));

/** Where the bundle went, what it weighs, and how closely it matches the training graph. */
function exportSummary(run: string, r: ExportResult): string[] {
  const files = Object.values(r.manifest.files);
  const bytes = files.reduce((a, f) => a + f.bytes, 0);
  const elbo = r.manifest.metrics.test_elbo;
  const int8 = r.int8LogpDelta === undefined ? '' : `; int8 costs ${nats(r.int8LogpDelta)} of log p(x|z)`;
  return [
    `exported ${run} to ${r.dir}: ${plural(files.length, 'file')}, ${formatBytes(bytes)}, ${r.manifest.dtype} weights${elbo === undefined ? '' : `, test -ELBO ${nats(elbo)}`}`,
    `  parity with the training graph on ${r.parity.n} test inputs (max abs diff): encoder ${diff(r.parity.encoder)}, decoder ${diff(r.parity.decoder)}${int8}`,
  ];
}

/** `vae export`: its flags, and the JSON line it prints (bundle folder, parity, file sizes). */
export function register(cli: CAC): void {
  cli
    .command(
      'export',
      'Export a bundle (RUN/bundle or --out): encoder.onnx, decoder.onnx, manifest.json (parity-checked)',
    )
    .option('--run <dir>', 'run folder')
    .option('--out <dir>', 'bundle folder (default: RUN/bundle)')
    .option('--force', 'replace the bundle already in the folder (never replaced otherwise)')
    .option('--fp16', 'store weights as float16')
    .option(
      '--int8',
      'store MatMul weights as 8-bit levels (per-column scales; ~1/4 the size, faster in browsers); not with --fp16',
    )
    .option(
      '--test-scores <n>',
      "test examples scored for the playground's score histogram (image bundles; default 2000, 0: none)",
    )
    .option('--threads <n>', THREADS_HELP)
    .option(DEVICE_FLAG.name, DEVICE_FLAG.help)
    .option(QUIET_FLAG.name, QUIET_FLAG.help)
    .action(async (f: Record<string, unknown>) => {
      const run = need('run', f.run);
      const r = await exportRun({
        run,
        ...(f.out !== undefined ? { out: need('out', f.out) } : {}),
        force: f.force === true,
        fp16: f.fp16 === true,
        int8: f.int8 === true,
        ...(f.testScores !== undefined ? { testScores: optInt('test-scores', f.testScores, 0)! } : {}),
        threads: optThreads(f.threads),
        device: parseDevice(f.device),
      });
      const bytes = Object.fromEntries(Object.entries(r.manifest.files).map(([n, e]) => [n, e.bytes]));
      printResult(
        {
          bundle: r.dir,
          parity: r.parity,
          dtype: r.manifest.dtype,
          files: bytes,
          ...(r.int8LogpDelta !== undefined ? { int8_logp_delta: r.int8LogpDelta } : {}),
        },
        exportSummary(run, r),
        f.quiet === true,
      );
    });
}
