/** loadModel: bundle -> validated files -> onnxruntime-web sessions -> a model. */
import type { BundleGraphInfo, BundleManifest } from '@vae/core/bundle';
import type { LoadOptions, VaeModel } from './api';
import { InferError } from './errors';
import { type GraphRole, graphInfo, type Sessions } from './graph-roles';
import { LocalModel } from './model';
import { createSession, loadRuntime, type Session } from './runtime';
import { type SmallBatchDecoder, smallBatchDecoder } from './small-batch';
import { type BundleSource, readBundle } from './source';
import { loadInWorker } from './worker-client';

const sorted = (xs: readonly string[]) => [...xs].sort().join(', ');

function lastDim(
  session: Session,
  dir: 'inputMetadata' | 'outputMetadata',
  name: string,
): number | string | undefined {
  const meta = (session as Partial<Session>)[dir]?.find((m) => m.name === name);
  if (!meta?.isTensor || meta.shape.length === 0) return undefined;
  return meta.shape[meta.shape.length - 1];
}

/** The graphs must have the manifest's inputs and outputs and its latent size. */
function checkSessions(m: BundleManifest, sessions: Sessions): void {
  const enc = sessions.encoder;
  const dec = sessions.decoder;
  const pairs = (Object.keys(sessions) as GraphRole[]).map(
    (r) => [graphInfo(m, r)!, sessions[r]!] as [BundleGraphInfo, Session],
  );
  for (const [info, s] of pairs) {
    if (sorted(s.inputNames) !== sorted(info.inputs.map((t) => t.name)))
      throw new InferError(
        'shape',
        `${info.file} has inputs [${sorted(s.inputNames)}], manifest.json lists [${sorted(info.inputs.map((t) => t.name))}]`,
      );
    for (const t of info.outputs)
      if (!s.outputNames.includes(t.name))
        throw new InferError(
          'shape',
          `${info.file} has no output ${t.name} (it has [${sorted(s.outputNames)}])`,
        );
  }
  const checks: [Session, 'inputMetadata' | 'outputMetadata', string, string][] = [
    [dec, 'inputMetadata', 'z', m.decoder.file],
    [enc, 'outputMetadata', 'loc', m.encoder.file],
    [enc, 'outputMetadata', 'scale', m.encoder.file],
  ];
  for (const [s, dir, name, file] of checks) {
    const d = lastDim(s, dir, name);
    if (d !== undefined && d !== m.latent)
      throw new InferError(
        'latent-mismatch',
        `${file}: ${name} has width ${d}, manifest.json says latent ${m.latent}`,
        'latent',
      );
  }
}

/** Values per example of the decoder output the manifest promises (params). */
function prodShape(m: BundleManifest): number {
  const out = m.decoder.outputs.find((t) => t.name === 'params')!;
  return out.shape.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
}

/** Values per row the decoder returns for `rows` zero z (a text decoder: greedy ids, u and temperature fed). */
async function probeDecoder(
  model: LocalModel,
  m: BundleManifest,
  c: number | undefined,
  rows = 1,
): Promise<number> {
  const z = new Float32Array(rows * m.latent);
  if (m.data.kind !== 'text') return (await model.decode(z, c)).params.length / rows;
  const u = m.decoder.inputs.find((t) => t.name === 'u')!;
  const size = u.shape.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
  const feeds = { z, u: new Float32Array(rows * size).fill(0.5), temperature: Float32Array.of(0) };
  return (await model.run('decoder', feeds, { N: rows })).ids!.length / rows;
}

/** Loads in this thread (what the worker runs too). */
export async function loadLocal(source: BundleSource, options: LoadOptions = {}): Promise<LocalModel> {
  const { manifest, files } = await readBundle(source, options.fetch);
  const rt = await loadRuntime(options);
  const open = (g: BundleGraphInfo) => createSession(rt, files[g.file]!, g.file);
  let dec = await open(manifest.decoder);
  const before = rt.backend;
  const enc = await open(manifest.encoder);
  if (rt.backend !== before) {
    await dec.release(); // WebGPU failed on the encoder: both graphs go to wasm
    dec = await open(manifest.decoder);
  }
  const sessions: Partial<Sessions> = { encoder: enc, decoder: dec };
  let small: SmallBatchDecoder | undefined;
  const release = () => Promise.all([...Object.values(sessions), small?.session].map((s) => s?.release()));
  try {
    for (const [role, g] of Object.entries(manifest.graphs) as [
      keyof BundleManifest['graphs'],
      BundleGraphInfo,
    ][])
      if (g) sessions[role] = await createSession(rt, files[g.file]!, g.file);
    checkSessions(manifest, sessions as Sessions);
    small = await smallBatchDecoder(rt, manifest, files, options.int8Float32Rows);
  } catch (e) {
    await release();
    throw e;
  }
  // A zero z decodes: a graph that disagrees with the manifest fails here, not on the first call.
  const model = new LocalModel(
    manifest,
    rt.ort,
    sessions as Sessions,
    rt.backend,
    rt.threads,
    rt.fallback,
    small,
  );
  try {
    const c = manifest.condition ? 0 : undefined;
    // An int8 bundle's float32 copy decodes one row: its int8 graph gets a batch past maxRows.
    const rows = [1, ...(small ? [small.maxRows + 1] : [])];
    const want = manifest.data.kind === 'text' ? manifest.data.shape[0]! : prodShape(manifest);
    const perRow = await Promise.all(rows.map((r) => probeDecoder(model, manifest, c, r)));
    const got = perRow.find((v) => v !== want);
    if (got !== undefined)
      throw new InferError(
        'shape',
        `${manifest.decoder.file} returned ${got} values for one z, manifest.json says ${want}`,
      );
  } catch (e) {
    await model.dispose();
    if (e instanceof InferError && e.reason !== 'session') throw e;
    throw new InferError(
      'latent-mismatch',
      `${manifest.decoder.file} does not decode a z of width ${manifest.latent}: ${(e as Error).message}`,
      'latent',
      { cause: e },
    );
  }
  return model;
}

/**
 * Loads an exported bundle (a folder URL, or its files by name) and creates its onnxruntime-web
 * sessions once. Checks manifest.json with its schema, every file's SHA-256, and that the graphs
 * have the manifest's interface and latent size.
 * @throws InferError with `reason` `fetch`, `malformed`, `version`, `missing`, `hash`,
 *   `latent-mismatch`, `shape`, `session` or `worker`.
 */
export async function loadModel(source: BundleSource, options: LoadOptions = {}): Promise<VaeModel> {
  if (options.worker) return loadInWorker(source, options);
  return loadLocal(source, options);
}
