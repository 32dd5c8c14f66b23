import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Tables for run.ts: medians over all per-call samples, ratios ours/tfjs, cold-start marks.
import type { InitInfo, PeerSpec } from './page/src/bench';
import type { ColdResult } from './page/src/cold';

export const INFER_WEB = 'ours via @vae/infer-web';
export const INT8 = 'ours int8 dynamic';
export const INFER_WEB_INT8 = 'ours via @vae/infer-web, int8 bundle';
/** Column names for the headline table. */
const SHORT: Record<string, string> = {
  [INFER_WEB]: 'infer-web',
  [INT8]: 'ours int8',
  [INFER_WEB_INT8]: 'infer-web int8',
};
/** Peers whose ratio in each page is printed too (the raw path and the library paths users run). */
const PER_PAGE = ['ours', INFER_WEB, INFER_WEB_INT8];

export interface ColdRow {
  page: string;
  threads: number;
  label: string;
  cold: ColdResult[];
  second: ColdResult[];
  third: ColdResult[];
  /** 64-grid decodes made on the 2nd load before the 3rd. */
  used: number[];
}

interface SessionLike {
  threads: number;
  load: number;
  info: InitInfo;
  times: Record<string, Record<number, number[]>>;
}

/** Per-call samples pooled over a series' sessions: [threads][peer][n]. */
function pool(sessions: SessionLike[]): Record<number, Record<string, Record<number, number[]>>> {
  const out: Record<number, Record<string, Record<number, number[]>>> = {};
  for (const s of sessions)
    for (const [peer, byN] of Object.entries(s.times))
      for (const [n, xs] of Object.entries(byN))
        ((out[s.threads] ??= {})[peer] ??= {})[Number(n)] = [
          ...(out[s.threads]?.[peer]?.[Number(n)] ?? []),
          ...xs,
        ];
  return out;
}

const quantile = (xs: readonly number[], f: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(f * (s.length - 1))]! : Number.NaN;
};

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const ms = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '-');
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

function table(head: string[], rows: string[][], firstWidth?: number): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  if (firstWidth) widths[0] = Math.max(widths[0]!, firstWidth);
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? pad(c, widths[i]!) : lpad(c, widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function decodeTables(
  series: { headline: SessionLike[]; levers: SessionLike[]; proxied: SessionLike[] },
  levers: PeerSpec[],
  ns: number[],
  modelSizes: Record<string, number>,
) {
  const out: string[] = [];
  const json: Record<string, unknown> = {};
  const threadsOf = (ss: SessionLike[]) => [...new Set(ss.map((s) => s.threads))].sort();

  /** tfjs against every other peer of the pages: medians and ratios, plus per-page ratios of "ours". */
  const versus = (ss: SessionLike[], title: string, key: string) => {
    if (!ss.length) return;
    const p = pool(ss);
    const peers = [...new Set(ss.flatMap((s) => Object.keys(s.times)))].filter((x) => x !== 'tfjs');
    const short = (x: string) => SHORT[x] ?? x;
    const rows: string[][] = [];
    const rec: Record<string, unknown>[] = [];
    for (const t of threadsOf(ss))
      for (const n of ns) {
        const f = p[t]?.tfjs?.[n] ?? [];
        const perPage = (peer: string) =>
          ss
            .filter((s) => s.threads === t)
            .map((s) => median(s.times[peer]?.[n] ?? []) / median(s.times.tfjs?.[n] ?? []));
        const row = [String(t), String(n), ms(median(f))];
        const r: Record<string, unknown> = {
          threads: t,
          n,
          tfjsMs: median(f),
          tfjsP10: quantile(f, 0.1),
          samples: f.length,
        };
        for (const peer of peers) {
          const o = p[t]?.[peer]?.[n] ?? [];
          row.push(ms(median(o)), (median(o) / median(f)).toFixed(2));
          r[peer] = {
            ms: median(o),
            ratio: median(o) / median(f),
            p10: quantile(o, 0.1),
            p90: quantile(o, 0.9),
            perPageRatios: perPage(peer),
          };
        }
        for (const peer of PER_PAGE.filter((x) => peers.includes(x)))
          row.push(
            perPage(peer)
              .map((x) => x.toFixed(2))
              .join(' '),
          );
        row.push(`${ms(quantile(p[t]?.ours?.[n] ?? [], 0.1))} / ${ms(quantile(f, 0.1))}`);
        rows.push(row);
        rec.push(r);
      }
    json[key] = rec;
    const head = ['threads', 'N', 'tfjs', ...peers.flatMap((x) => [short(x), `${short(x)}/tfjs`])];
    const perHead = PER_PAGE.filter((x) => peers.includes(x)).map((x) => `per-page ${short(x)}/tfjs`);
    out.push(title, table([...head, ...perHead, 'p10 ours / tfjs'], rows), '');
  };
  versus(
    series.headline,
    'Decode latency: median ms per call (z upload + run + logits readback); tfjs and ours (fp32, int8, via infer-web) in one page, interleaved',
    'headline',
  );
  const head = (json.headline ?? []) as Record<string, unknown>[];
  if (head.length) {
    const lines = ['ours', INFER_WEB, INT8, INFER_WEB_INT8].map((peer) => {
      const wins = head
        .filter((r) => r[peer])
        .map((r) => `t${r.threads} N=${r.n}: ${(r[peer] as { ratio: number }).ratio <= 1 ? 'yes' : 'no'}`);
      const grid = head.find((r) => r.threads === 2 && r.n === 64)?.[peer] as { ms: number } | undefined;
      return `  ${SHORT[peer] ?? peer}: at least as fast as tfjs? ${wins.join(', ')}; 64-grid with 2 threads <= 1.5 ms? ${grid ? `${grid.ms <= 1.5 ? 'yes' : 'no'} (${ms(grid.ms)})` : '-'}`;
    });
    out.push('Targets (medians above):', ...lines, '');
  }

  if (series.levers.length) {
    const p = pool(series.levers);
    const cols = threadsOf(series.levers).flatMap((t) => ns.map((n) => ({ t, n })));
    const med = (t: number, peer: string, n: number) => median(p[t]?.[peer]?.[n] ?? []);
    const rows = levers.map((l) => [
      l.name,
      ...cols.map(
        ({ t, n }) => `${ms(med(t, l.name, n))} (${(med(t, l.name, n) / med(t, 'ours', n)).toFixed(2)})`,
      ),
    ]);
    json.levers = Object.fromEntries(
      levers.map((l) => [
        l.name,
        Object.fromEntries(cols.map(({ t, n }) => [`t${t} N=${n}`, med(t, l.name, n)])),
      ]),
    );
    out.push(
      'Levers: median ms (x "ours" = core decoder.onnx, graphOptimizationLevel all, reused input tensor), all in one page',
      table(['variant', ...cols.map(({ t, n }) => `t${t} N=${n}`)], rows),
      '',
    );
    const info0 = series.levers[0]!.info;
    const q = levers.map((l) => {
      const qq = info0.quality[l.name]!;
      return [
        l.name,
        ((modelSizes[l.model ?? 'decoder.onnx'] ?? 0) / 1024).toFixed(0),
        qq.maxAbsLogitDiff.toExponential(1),
        qq.klNatsPerImage.toExponential(1),
      ];
    });
    json.quality = info0.quality;
    out.push(
      'Quality vs fp32 (256 latents, untrained weights): KL(Bern(fp32) || Bern(variant)) summed over pixels, mean per image',
      table(['variant', 'model KiB', 'max |d logit|', 'KL nats/image'], q),
      '',
    );
  }

  versus(
    series.proxied,
    'ort.env.wasm.proxy = true (ORT runs in a worker; input copied per call), same page as tfjs',
    'proxy',
  );

  if (series.headline.length) {
    const rows = threadsOf(series.headline).map((t) => {
      const ss = series.headline.filter((s) => s.threads === t);
      const c = (k: string) => ms(median(ss.map((s) => s.info.createMs[k]!)), 1);
      return [String(t), c('ours'), c(INFER_WEB), c(INFER_WEB_INT8), c('tfjs backend init'), c('tfjs')];
    });
    json.create = rows;
    out.push(
      'Start-up inside the headline page (median over pages, ms), in this order: tfjs backend, its weights, ORT session, infer-web',
      table(
        [
          'threads',
          'ORT 1st create (incl. wasm fetch+compile)',
          'infer-web loadModel after it',
          'infer-web int8 loadModel',
          'tfjs backend init',
          'tfjs weights',
        ],
        rows,
      ),
      '',
    );
    const later = series.levers.flatMap((s) => levers.slice(1).map((l) => s.info.createMs[l.name]!));
    if (later.length)
      out.push(`ORT later session creates (levers page): median ${ms(median(later), 1)} ms`, '');
  }
  const all = [...series.headline, ...series.levers, ...series.proxied];
  const failed = [
    ...new Set(all.flatMap((s) => Object.entries(s.info.failed ?? {}).map(([k, v]) => `${k}: ${v}`))),
  ];
  if (failed.length) out.push(`Peers that failed to start: ${failed.join('; ')}`, '');
  if (all.length)
    out.push(
      `Threads really used: ${[...new Set(all.map((s) => `t=${s.threads}: ort ${s.info.ortThreads}, tfjs ${s.info.tfjsThreads}`))].join('; ')}; crossOriginIsolated: ${all.every((s) => s.info.crossOriginIsolated)}`,
      `1-min load average at each page start (2-core machine shared with other work): ${all.map((s) => s.load.toFixed(1)).join(' ')}`,
      '',
    );
  return { text: out.join('\n'), json };
}

export function coldTable(rows: ColdRow[]) {
  const range = (xs: number[]) =>
    `${ms(median(xs), 0)} (${ms(Math.min(...xs), 0)}-${ms(Math.max(...xs), 0)})`;
  const wasmEnd = (r: ColdResult) =>
    Math.max(0, ...r.resources.filter((x) => x.name.endsWith('.wasm')).map((x) => x.end));
  const runtime = (c: ColdResult) => c.marks.ortReady ?? c.marks.ready!;
  const body = rows.map((r) => [
    r.label,
    String(r.threads),
    range(r.cold.map((c) => c.marks.firstPicture!)),
    ms(median(r.cold.map((c) => c.marks.entry!)), 0),
    ms(median(r.cold.map(wasmEnd)), 0),
    ms(median(r.cold.map(runtime)), 0),
    range(r.second.map((c) => c.marks.firstPicture!)),
    ms(median(r.second.map(runtime)), 0),
    range(r.third.map((c) => c.marks.firstPicture!)),
    ms(median(r.third.map(runtime)), 0),
    ms(median(r.cold.map((c) => c.marks.longestTask ?? Number.NaN)), 0),
  ]);
  const json = rows.map((r) => ({
    label: r.label,
    page: r.page,
    threads: r.threads,
    coldFirstPictureMs: r.cold.map((c) => c.marks.firstPicture),
    secondLoadFirstPictureMs: r.second.map((c) => c.marks.firstPicture),
    thirdLoadFirstPictureMs: r.third.map((c) => c.marks.firstPicture),
    thirdLoadRuntimeReadyMs: r.third.map((c) => c.marks.ortReady ?? c.marks.ready),
    gridsDecodedBeforeThirdLoad: r.used,
    coldMarks: r.cold.map((c) => c.marks),
    secondMarks: r.second.map((c) => c.marks),
    coldResources: r.cold[0]?.resources,
    secondResources: r.second[0]?.resources,
  }));
  const text = [
    `Cold start: ms from navigation start to the first decoded picture on a canvas; median (min-max) of ${rows[0]?.cold.length} fresh profiles`,
    table(
      [
        'page',
        'threads',
        'cold: 1st picture',
        'entry JS',
        'wasm fetched',
        'runtime ready',
        '2nd load: 1st picture',
        '2nd: runtime ready',
        '3rd load (after use): 1st picture',
        '3rd: runtime ready',
        'longest task',
      ],
      body,
    ),
    '',
  ].join('\n');
  return { text, json };
}

/** Writes JSON (numbers to 4 decimals) formatted the way the repo's Biome wants it, when Biome is there. */
export function writeJson(path: string, value: unknown): void {
  const round = (_k: string, v: unknown) =>
    typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v;
  writeFileSync(path, `${JSON.stringify(value, round, 2)}\n`);
  const biome = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.bin', 'biome');
  if (existsSync(biome)) spawnSync(biome, ['format', '--write', path], { stdio: 'ignore' });
}
