import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '@vae/core';

/** One row of a {@link ProfileSummary}: an operator type, or one node. */
export interface ProfileRow {
  /** Operator type (`Gemm`, `FusedMatMul`, ...) or node name. */
  readonly name: string;
  /** The node's operator type (the same as `name` in a by-type row). */
  readonly op: string;
  /** Kernel time summed over every run, milliseconds. */
  readonly ms: number;
  /** Kernel launches. */
  readonly calls: number;
  /** Share of all kernel time (0..1). */
  readonly share: number;
  /** Output shapes of the node (by-node rows only), e.g. `128x400`. */
  readonly shape?: string;
}

/** Where a session's time went, read from an onnxruntime profile file. */
export interface ProfileSummary {
  readonly file: string;
  /** `model_run` calls (session.run), each of which may run a Loop body many times. */
  readonly runs: number;
  /** Wall time inside session.run, milliseconds. */
  readonly runMs: number;
  /** Kernel time of every node, control-flow nodes (Loop, If) excluded: their bodies count instead. */
  readonly kernelMs: number;
  /** By operator type, largest first. */
  readonly byOp: ProfileRow[];
  /** The `top` nodes with the most kernel time, largest first. */
  readonly byNode: ProfileRow[];
}

/** A profile file that is not onnxruntime's Chrome-trace JSON. */
export class ProfileFormatError extends UserError {
  override name = 'ProfileFormatError';
}

interface TraceEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly dur?: number;
  readonly args?: { op_name?: string; output_type_shape?: Record<string, number[]>[] };
}

// Control-flow kernels' time is their body's nodes' time again (those are profiled too).
const CONTAINERS = new Set(['Loop', 'If', 'Scan']);
const KERNEL_SUFFIX = '_kernel_time';

/**
 * Summarises an onnxruntime profile (`enableProfiling`; `vae train --profile`): kernel time by
 * operator type and by node, Loop bodies included. The profiler adds its own cost to every node,
 * so the shares, not the absolute times, are what to compare with an unprofiled run.
 * @throws ProfileFormatError when the file is not a profile
 */
export function summariseProfile(file: string, top = 15): ProfileSummary {
  let events: TraceEvent[];
  try {
    events = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ProfileFormatError(`${file}: not an onnxruntime profile (${(e as Error).message})`);
  }
  if (!Array.isArray(events))
    throw new ProfileFormatError(`${file}: not an onnxruntime profile (expected a JSON array of events)`);
  const byOp = new Map<string, { ms: number; calls: number }>();
  const byNode = new Map<string, { op: string; ms: number; calls: number; shape: string }>();
  let runs = 0;
  let runMs = 0;
  for (const e of events) {
    if (e.cat === 'Session' && e.name === 'model_run') {
      runs++;
      runMs += (e.dur ?? 0) / 1000;
    }
    if (e.cat !== 'Node' || !e.name?.endsWith(KERNEL_SUFFIX)) continue;
    const op = e.args?.op_name ?? '?';
    if (CONTAINERS.has(op)) continue;
    const ms = (e.dur ?? 0) / 1000;
    const o = byOp.get(op) ?? { ms: 0, calls: 0 };
    byOp.set(op, { ms: o.ms + ms, calls: o.calls + 1 });
    const node = e.name.slice(0, -KERNEL_SUFFIX.length);
    const shape = (e.args?.output_type_shape ?? [])
      .map((s) => (Object.values(s)[0] ?? []).join('x') || 'scalar')
      .join(',');
    const n = byNode.get(node) ?? { op, ms: 0, calls: 0, shape };
    byNode.set(node, { ...n, ms: n.ms + ms, calls: n.calls + 1 });
  }
  const kernelMs = [...byOp.values()].reduce((a, o) => a + o.ms, 0);
  const share = (ms: number) => (kernelMs > 0 ? ms / kernelMs : 0);
  return {
    file,
    runs,
    runMs,
    kernelMs,
    byOp: [...byOp]
      .map(([op, o]) => ({ name: op, op, ms: o.ms, calls: o.calls, share: share(o.ms) }))
      .sort((a, b) => b.ms - a.ms),
    byNode: [...byNode]
      .map(([name, n]) => ({ name, op: n.op, ms: n.ms, calls: n.calls, share: share(n.ms), shape: n.shape }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
  };
}

/** File times come from the kernel's coarse clock, which may trail `Date.now()` by a few ms. */
const CLOCK_SLACK_MS = 1000;

/**
 * The profile files onnxruntime wrote for `prefix` (`<prefix>_<timestamp>.json`) since `since`
 * (ms since the epoch, less a second of clock slack), oldest first.
 */
export function profileFiles(prefix: string, since = 0): string[] {
  const dir = dirname(prefix);
  const stem = `${basename(prefix)}_`;
  return readdirSync(dir)
    .filter((f) => f.startsWith(stem) && f.endsWith('.json'))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).mtimeMs >= since - CLOCK_SLACK_MS)
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
}

/** A summary as a fixed-width table for people: by operator type, then the largest nodes. */
export function formatProfile(s: ProfileSummary, rows = 12): string {
  const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)}%`;
  const line = (r: ProfileRow, label: string) =>
    `  ${label.padEnd(44)} ${r.ms.toFixed(1).padStart(9)} ms ${pct(r.share)} ${String(r.calls).padStart(8)} calls`;
  return [
    `${s.file}: ${s.runs} runs, ${s.runMs.toFixed(0)} ms in session.run, ${s.kernelMs.toFixed(0)} ms in kernels`,
    ' by operator type:',
    ...s.byOp.slice(0, rows).map((r) => line(r, r.name)),
    ' largest nodes:',
    ...s.byNode.slice(0, rows).map((r) => line(r, `${r.op} ${r.shape} (${r.name})`.slice(0, 44))),
  ].join('\n');
}
