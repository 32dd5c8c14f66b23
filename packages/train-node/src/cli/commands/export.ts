import type { CAC } from 'cac';
import { exportRun } from '../../export/export-run';
import { need, optThreads, printJson, THREADS_HELP } from '../flags';

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
    .option('--threads <n>', THREADS_HELP)
    .action(async (f: Record<string, unknown>) => {
      const r = await exportRun({
        run: need('run', f.run),
        ...(f.out !== undefined ? { out: need('out', f.out) } : {}),
        force: f.force === true,
        fp16: f.fp16 === true,
        int8: f.int8 === true,
        threads: optThreads(f.threads),
      });
      const bytes = Object.fromEntries(Object.entries(r.manifest.files).map(([n, e]) => [n, e.bytes]));
      printJson({
        bundle: r.dir,
        parity: r.parity,
        dtype: r.manifest.dtype,
        files: bytes,
        ...(r.int8LogpDelta !== undefined ? { int8_logp_delta: r.int8LogpDelta } : {}),
      });
    });
}
