// The benchmark page: every peer lives in this one page and is timed interleaved. Driven by run.ts
// through window.__bench; ?threads=N (1 or 2) and ?proxy=1 are fixed per page load because both
// runtimes fix their thread pools when they start.
import { klNatsPerImage, latents, maxAbsDiff, median, sleep } from './common';
import {
  configureOrt,
  createOurs,
  createOursNaive,
  type Decoder,
  type OursOptions,
  ortThreads,
} from './ours';
import { createTfjs, initTfjs } from './tfjs-peer';

export interface PeerSpec {
  name: string;
  kind: 'ours' | 'ours-naive' | 'tfjs' | 'infer-web' | 'interp';
  model?: string;
  opts?: OursOptions;
}

export interface RunConfig {
  peers: PeerSpec[];
  ns: number[];
  rounds: number;
  /** Timed calls per block, by batch size. */
  reps: Record<number, number>;
  /** Idle time before each block, so the previous peer's spinning threads settle. */
  gapMs: number;
}

export interface InitInfo {
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  ortThreads: number;
  tfjsThreads: number;
  /** ms to create each peer, in creation order (the first ORT create includes fetch + compile of the wasm). */
  createMs: Record<string, number>;
  /** Against the first ORT peer (the fp32 core decoder) for 256 latents. */
  quality: Record<string, { maxAbsLogitDiff: number; klNatsPerImage: number }>;
  /** Peers that could not be created, with the error. */
  failed: Record<string, string>;
}

const q = new URLSearchParams(location.search);
const threads = Number(q.get('threads') ?? '1');
const proxy = q.get('proxy') === '1';
const decoders = new Map<string, Decoder>();

async function init(peers: PeerSpec[]): Promise<InitInfo> {
  configureOrt(threads, proxy);
  const createMs: Record<string, number> = {};
  const failed: Record<string, string> = {};
  let t = performance.now();
  const tfjsThreads = await initTfjs(threads);
  createMs['tfjs backend init'] = performance.now() - t;
  for (const p of peers) {
    t = performance.now();
    const url = `/models/${p.model ?? 'decoder.onnx'}`;
    let d: Decoder;
    try {
      if (p.kind === 'tfjs') d = await createTfjs();
      else if (p.kind === 'infer-web')
        d = await (await import('./infer-web-peer')).createInferWeb(
          `/models/${p.model ?? 'bundle/'}`,
          threads,
        );
      else if (p.kind === 'interp') d = await (await import('./interp')).createInterpreter(url);
      else d = await (p.kind === 'ours' ? createOurs : createOursNaive)(url, p.opts);
    } catch (e) {
      // A peer that cannot start (e.g. @vae/infer-web mid-change) is reported and left out, not fatal.
      failed[p.name] = String(e);
      continue;
    }
    createMs[p.name] = performance.now() - t;
    decoders.set(p.name, d);
  }
  const z = latents(256, 7);
  const live = peers.filter((p) => decoders.has(p.name));
  const first = live.find((p) => p.kind === 'ours') ?? live[0]!;
  const ref = await decoders.get(first.name)!.decode(z, 256);
  const quality: InitInfo['quality'] = {};
  for (const p of peers.filter((x) => decoders.has(x.name))) {
    const y = await decoders.get(p.name)!.decode(z, 256);
    quality[p.name] = { maxAbsLogitDiff: maxAbsDiff(ref, y), klNatsPerImage: klNatsPerImage(ref, y, 256) };
  }
  return {
    crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    ortThreads: ortThreads(),
    tfjsThreads,
    createMs,
    quality,
    failed,
  };
}

/** Per-call times (ms) by peer and batch size, over all rounds. Peers rotate order every round. */
async function run(cfg: RunConfig): Promise<Record<string, Record<number, number[]>>> {
  const times: Record<string, Record<number, number[]>> = {};
  const zs = new Map(cfg.ns.map((n) => [n, latents(n, n)]));
  for (let r = 0; r < cfg.rounds; r++) {
    const k = r % cfg.peers.length;
    const rotated = [...cfg.peers.slice(k), ...cfg.peers.slice(0, k)];
    const order = r % 2 ? rotated.reverse() : rotated;
    for (const n of cfg.ns) {
      const z = zs.get(n)!;
      for (const p of order) {
        const d = decoders.get(p.name);
        if (!d) continue;
        await sleep(cfg.gapMs);
        await d.decode(z, n);
        await d.decode(z, n);
        const list = ((times[p.name] ??= {})[n] ??= []);
        for (let i = 0; i < (cfg.reps[n] ?? 10); i++) {
          const t0 = performance.now();
          await d.decode(z, n);
          list.push(performance.now() - t0);
        }
      }
    }
  }
  return times;
}

declare global {
  interface Window {
    __bench?: { init: typeof init; run: typeof run; median: typeof median };
  }
}
window.__bench = { init, run, median };
document.title = 'bench ready';
