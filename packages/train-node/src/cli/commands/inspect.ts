import type { CAC } from 'cac';
import { UsageError } from '../../render/errors';
import { formatInspect, INSPECT_HELP, inspectCommand } from '../../views/inspect';

/**
 * `vae inspect <path>`: prints what a bundle or .onnx file holds; a bundle that fails a check is
 * an error after the report (exit code 1).
 */
export function register(cli: CAC): void {
  cli.command('inspect <path>', INSPECT_HELP).action(async (path: string) => {
    const r = await inspectCommand(path);
    process.stdout.write(`${formatInspect(r)}\n`);
    if (r.kind === 'bundle' && !r.ok) {
      const failed = r.checks.filter((c) => !c.ok);
      throw new UsageError(
        `${r.path}: ${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}`,
      );
    }
  });
}
