import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  BUNDLE_FILES,
  type BundleManifest,
  type BundleTensorInfo,
  parseManifestText,
  sha256Hex,
} from '@vae/core';
import { UsageError } from '../render/errors';
import {
  formatBytes,
  formatDims,
  formatOnnxSummary,
  type OnnxSummary,
  summarizeOnnx,
} from '../render/onnx-summary';

export type { OnnxSummary } from '../render/onnx-summary';

/** `vae inspect` of one .onnx file. */
export interface OnnxInspection {
  readonly kind: 'onnx';
  readonly path: string;
  readonly model: OnnxSummary;
}

/** One check of a bundle against its manifest. */
export interface BundleCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** A file the manifest lists, with what it should be and what it is. */
export interface BundleFileCheck {
  readonly name: string;
  /** Size on disk (null when missing). */
  readonly bytes: number | null;
  readonly sha256: string | null;
  readonly expectedBytes: number;
  readonly expectedSha256: string;
  readonly ok: boolean;
}

/** `vae inspect` of a bundle folder: both graphs, the manifest and every check. */
export interface BundleInspection {
  readonly kind: 'bundle';
  readonly path: string;
  /** null when manifest.json is missing or invalid (see `checks`). */
  readonly manifest: BundleManifest | null;
  readonly encoder: OnnxSummary | null;
  readonly decoder: OnnxSummary | null;
  readonly files: readonly BundleFileCheck[];
  readonly checks: readonly BundleCheck[];
  /** True when every check passed. */
  readonly ok: boolean;
}

export type InspectResult = OnnxInspection | BundleInspection;

/** Help text for the CLI. */
export const INSPECT_HELP =
  'Describe an .onnx file (opset, inputs and outputs with shapes, op histogram, parameters and ' +
  'bytes) or a bundle folder (both graphs, plus manifest validation, the SHA-256 of every file, and ' +
  "the graphs' latent size and input/output names against the manifest). A run folder shows its bundle/.";

const sameShape = (a: readonly (number | string)[] | null, b: readonly (number | string)[]) =>
  a !== null && a.length === b.length && a.every((d, i) => d === b[i]);

/** Checks one graph's interface against the manifest's record of it. */
function interfaceChecks(role: 'encoder' | 'decoder', g: OnnxSummary, m: BundleManifest): BundleCheck[] {
  const want = m[role];
  const out: BundleCheck[] = [];
  const side = (kind: 'inputs' | 'outputs', got: OnnxSummary['inputs'], listed: BundleTensorInfo[]) => {
    const gotNames = got.map((t) => t.name).join(', ');
    const wantNames = listed.map((t) => t.name).join(', ');
    const problems: string[] = [];
    if (gotNames !== wantNames) problems.push(`${kind} are (${gotNames}), manifest says (${wantNames})`);
    else
      for (const [i, t] of listed.entries())
        if (!sameShape(got[i]!.shape, t.shape))
          problems.push(`${t.name} is ${formatDims(got[i]!.shape)}, manifest says ${formatDims(t.shape)}`);
    out.push({
      name: `${role} ${kind}`,
      ok: problems.length === 0,
      detail: problems.join('; ') || `${wantNames} as in manifest.json`,
    });
  };
  side('inputs', g.inputs, want.inputs);
  side('outputs', g.outputs, want.outputs);
  // Latent size: the decoder's z and the encoder's outputs end in `latent`.
  const latentTensors = role === 'decoder' ? g.inputs.filter((t) => t.name === 'z') : g.outputs;
  const bad = latentTensors.filter((t) => t.shape?.[t.shape.length - 1] !== m.latent);
  out.push({
    name: `${role} latent size`,
    ok: latentTensors.length > 0 && bad.length === 0,
    detail:
      latentTensors.length === 0
        ? `no ${role === 'decoder' ? 'input z' : 'outputs'} to read the latent size from`
        : bad.length
          ? bad.map((t) => `${t.name} is ${formatDims(t.shape)}, manifest latent is ${m.latent}`).join('; ')
          : `${m.latent}`,
  });
  out.push({
    name: `${role} opset`,
    ok: g.opset === m.opset,
    detail: g.opset === m.opset ? `${m.opset}` : `file has opset ${g.opset}, manifest says ${m.opset}`,
  });
  const half = (g.weights.byDtype.float16 ?? 0) > 0;
  out.push({
    name: `${role} weight dtype`,
    ok: half === (m.dtype === 'float16'),
    detail:
      half === (m.dtype === 'float16')
        ? m.dtype
        : `manifest says ${m.dtype}, file stores ${half ? 'float16' : 'no float16'} weights`,
  });
  return out;
}

async function fileChecks(dir: string, m: BundleManifest): Promise<BundleFileCheck[]> {
  const out: BundleFileCheck[] = [];
  for (const [name, want] of Object.entries(m.files)) {
    const p = join(dir, name);
    const bytes = existsSync(p) ? new Uint8Array(readFileSync(p)) : null;
    const sha256 = bytes ? await sha256Hex(bytes) : null;
    out.push({
      name,
      bytes: bytes?.byteLength ?? null,
      sha256,
      expectedBytes: want.bytes,
      expectedSha256: want.sha256,
      ok: bytes?.byteLength === want.bytes && sha256 === want.sha256,
    });
  }
  return out;
}

async function inspectBundle(dir: string): Promise<BundleInspection> {
  const checks: BundleCheck[] = [];
  let manifest: BundleManifest | null = null;
  const mpath = join(dir, BUNDLE_FILES.manifest);
  if (!existsSync(mpath)) checks.push({ name: 'manifest', ok: false, detail: `${mpath} is missing` });
  else
    try {
      manifest = parseManifestText(new Uint8Array(readFileSync(mpath)));
      checks.push({
        name: 'manifest',
        ok: true,
        detail: `valid (format ${manifest.format} v${manifest.formatVersion})`,
      });
    } catch (e) {
      checks.push({ name: 'manifest', ok: false, detail: (e as Error).message });
    }
  const graph = (role: 'encoder' | 'decoder'): OnnxSummary | null => {
    const file = manifest?.[role].file ?? BUNDLE_FILES[role];
    const p = join(dir, file);
    if (!existsSync(p)) {
      checks.push({ name: `${role} file`, ok: false, detail: `${file} is missing` });
      return null;
    }
    try {
      return summarizeOnnx(new Uint8Array(readFileSync(p)), p);
    } catch (e) {
      checks.push({ name: `${role} file`, ok: false, detail: (e as Error).message });
      return null;
    }
  };
  const encoder = graph('encoder');
  const decoder = graph('decoder');
  let files: BundleFileCheck[] = [];
  if (manifest) {
    files = await fileChecks(dir, manifest);
    for (const f of files)
      checks.push({
        name: `file ${f.name}`,
        ok: f.ok,
        detail:
          f.bytes === null
            ? 'listed in manifest.json but missing'
            : f.ok
              ? `SHA-256 ${f.sha256!.slice(0, 12)}... matches`
              : f.bytes !== f.expectedBytes
                ? `${f.bytes} bytes, manifest.json says ${f.expectedBytes}`
                : `SHA-256 ${f.sha256} does not match manifest.json (${f.expectedSha256})`,
      });
    if (encoder) checks.push(...interfaceChecks('encoder', encoder, manifest));
    if (decoder) checks.push(...interfaceChecks('decoder', decoder, manifest));
  }
  return {
    kind: 'bundle',
    path: dir,
    manifest,
    encoder,
    decoder,
    files,
    checks,
    ok: checks.every((c) => c.ok),
  };
}

/**
 * `vae inspect <path>`: an .onnx file, a bundle folder (manifest.json + encoder.onnx + decoder.onnx),
 * or a run folder with an exported bundle/. Problems with a bundle are reported as failed checks
 * (`ok: false`), not thrown.
 * @throws UsageError when the path does not exist, is not ONNX, or is a folder without a bundle.
 */
export async function inspectCommand(path: string): Promise<InspectResult> {
  if (!existsSync(path)) throw new UsageError(`${path} does not exist`);
  if (statSync(path).isFile())
    return { kind: 'onnx', path, model: summarizeOnnx(new Uint8Array(readFileSync(path)), path) };
  const entries = new Set(readdirSync(path));
  const isBundle = [BUNDLE_FILES.manifest, BUNDLE_FILES.encoder, BUNDLE_FILES.decoder].some((f) =>
    entries.has(f),
  );
  if (isBundle) return inspectBundle(path);
  if (entries.has('bundle') && statSync(join(path, 'bundle')).isDirectory())
    return inspectBundle(join(path, 'bundle'));
  throw new UsageError(
    `${path} is neither an .onnx file nor a bundle folder (no ${BUNDLE_FILES.manifest}, ${BUNDLE_FILES.encoder} or ${BUNDLE_FILES.decoder})`,
  );
}

/** The terminal rendering of an {@link inspectCommand} result. */
export function formatInspect(r: InspectResult): string {
  if (r.kind === 'onnx') return formatOnnxSummary(r.model, r.path).join('\n');
  const failed = r.checks.filter((c) => !c.ok);
  const lines = [
    `bundle ${r.path}: ${r.ok ? 'OK' : `${failed.length} problem${failed.length === 1 ? '' : 's'}`}`,
  ];
  const m = r.manifest;
  if (m) {
    const cond = m.condition
      ? `, condition ${m.condition.size}${m.condition.labels ? ` (${m.condition.labels.join(' ')})` : ''}`
      : '';
    lines.push(
      `  manifest: latent ${m.latent}, prior ${m.prior.type}, likelihood ${m.likelihood.type} (${m.likelihood.output}), ` +
        `data ${m.data.kind} [${m.data.shape.join(', ')}]${cond}, weights ${m.dtype}, opset ${m.opset}, created ${m.createdAt}`,
    );
    // A denoising VAE (`vae train --denoise`): its bundle's graphs are the plain ones; its
    // validation scored the denoising ELBO (clean x, encoder fed x~ from a fixed key).
    if (typeof m.recipe.denoise === 'string')
      lines.push(
        `  denoising: trained on inputs corrupted by ${m.recipe.denoise} (the graphs never corrupt)` +
          ('val_elbo' in m.metrics
            ? '; val_elbo scores clean x encoded from inputs corrupted the same way'
            : ''),
      );
    const metrics = Object.entries(m.metrics);
    if (metrics.length) lines.push(`  metrics:  ${metrics.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    lines.push('  files:');
    for (const f of r.files)
      lines.push(
        `    ${f.ok ? 'ok  ' : 'FAIL'} ${f.name} ${f.bytes === null ? '(missing)' : formatBytes(f.bytes)}`,
      );
  }
  if (r.encoder) lines.push(...formatOnnxSummary(r.encoder, 'encoder', '  '));
  if (r.decoder) lines.push(...formatOnnxSummary(r.decoder, 'decoder', '  '));
  lines.push('  checks:');
  for (const c of r.checks) lines.push(`    ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  return lines.join('\n');
}
