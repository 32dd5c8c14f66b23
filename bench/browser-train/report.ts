// The report: markdown tables of samples/s, ratios, losses and cold starts with memory, and the same
// figures for results.json.
import { median } from '../browser/report';
import { BATCH, type BenchConfig, type ColdRun, type NodeRun, type PageRun, THREADS } from './measure';
import type { PageMemory } from './memory';
import { MiB } from './memory';

type Row = (string | number)[];

export const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-');
export const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
export const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const table = (head: string[], rows: Row[]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

/** Mean loss of each run of `per` consecutive steps (an epoch of 62 steps by default). */
const chunkMeans = (xs: readonly number[], per: number) =>
  Array.from({ length: Math.floor(xs.length / per) }, (_, i) => {
    const c = xs.slice(i * per, (i + 1) * per);
    return c.reduce((a, b) => a + b, 0) / c.length;
  });

/** samples/s of each peer at each thread count. */
function speedSection(pages: PageRun[], nodes: NodeRun[], cfg: BenchConfig) {
  const speed: Record<string, unknown> = {};
  const rows: Row[] = [];
  for (const t of THREADS) {
    const ps = pages.filter((p) => p.threads === t);
    for (const peer of ['tfjs', 'ours']) {
      const sps = ps.flatMap((p) => p.blocks.filter((b) => b.peer === peer).map((b) => b.samplesPerSecond));
      const used = [
        ...new Set(ps.flatMap((p) => p.blocks.filter((b) => b.peer === peer).map((b) => b.threads))),
      ];
      if (sps.length === 0) {
        rows.push([`${peer} (browser)`, t, '-', 'not measured', '-', '-']);
        continue;
      }
      rows.push([
        `${peer} (browser)`,
        t,
        used.join(','),
        f0(median(sps)),
        `${f0(Math.min(...sps))}-${f0(Math.max(...sps))}`,
        sps.length,
      ]);
      speed[`${peer}/${t}`] = { threadsUsed: used, samplesPerSecond: sps, median: median(sps) };
    }
    const ns = nodes.filter((n) => n.threads === t).map((n) => n.samplesPerSecond);
    rows.push([
      'onnxruntime-node',
      t,
      t,
      f0(median(ns)),
      `${f0(Math.min(...ns))}-${f0(Math.max(...ns))}`,
      ns.length,
    ]);
    speed[`node/${t}`] = { samplesPerSecond: ns, median: median(ns) };
  }
  const text = [
    `\nTraining samples/s (${cfg.steps} timed steps per block, batch ${BATCH}; browser: ${cfg.blocks} block(s) per peer per page, ${cfg.rounds} page(s) per thread count)\n`,
    table(['peer', 'threads asked', 'threads used', 'samples/s (median)', 'range', 'n'], rows),
  ];
  return { text, speed };
}

/** Ratios: ours/tfjs paired within each page, and each browser peer against Node's median. */
function ratioSection(pages: PageRun[], nodes: NodeRun[]) {
  const rows: Row[] = [];
  const ratios: Record<string, unknown> = {};
  for (const t of THREADS) {
    const ps = pages.filter((p) => p.threads === t);
    const nodeMed = median(nodes.filter((n) => n.threads === t).map((n) => n.samplesPerSecond));
    const med = (peer: string) =>
      median(ps.flatMap((p) => p.blocks.filter((b) => b.peer === peer).map((b) => b.samplesPerSecond)));
    const paired = ps
      .map((p) => {
        const m = (peer: string) =>
          median(p.blocks.filter((b) => b.peer === peer).map((b) => b.samplesPerSecond));
        return m('ours') / m('tfjs');
      })
      .filter(Number.isFinite);
    // ours (or tfjs) against the Node run of the same round and thread count: the two ran minutes
    // apart at most, so these hold up better than medians when the machine's load drifts.
    const perRound = (peer: string) =>
      ps
        .map((p) => {
          const n = nodes.find((x) => x.threads === t && x.round === p.round);
          const m = median(p.blocks.filter((b) => b.peer === peer).map((b) => b.samplesPerSecond));
          return n ? m / n.samplesPerSecond : Number.NaN;
        })
        .filter(Number.isFinite);
    const oursNodeRounds = perRound('ours');
    const tfjsNodeRounds = perRound('tfjs');
    const r = {
      oursOverNodeRounds: oursNodeRounds,
      tfjsOverNodeRounds: tfjsNodeRounds,
      oursOverNodeRoundMedian: median(oursNodeRounds),
      oursOverTfjsPaired: paired,
      oursOverTfjs: median(paired),
      oursOverNode: med('ours') / nodeMed,
      tfjsOverNode: med('tfjs') / nodeMed,
      nodeOverOurs: nodeMed / med('ours'),
    };
    ratios[t] = r;
    rows.push([
      t,
      paired.length ? `${f2(r.oursOverTfjs)} (${paired.map(f2).join(', ')})` : '-',
      f2(r.oursOverNode),
      oursNodeRounds.length ? `${f2(r.oursOverNodeRoundMedian)} (${oursNodeRounds.map(f2).join(', ')})` : '-',
      f2(r.tfjsOverNode),
      Number.isFinite(r.oursOverTfjs) ? (r.oursOverTfjs > 1 ? 'yes' : 'NO') : '-',
      Number.isFinite(r.nodeOverOurs) ? (r.nodeOverOurs <= 2 ? 'yes' : 'NO') : '-',
      Number.isFinite(r.oursOverNodeRoundMedian) ? (r.oursOverNodeRoundMedian >= 0.5 ? 'yes' : 'NO') : '-',
    ]);
  }
  const head = [
    'threads',
    'ours/tfjs (per page)',
    'ours/node (medians)',
    'ours/node (per round)',
    'tfjs/node',
    'goal: ours > tfjs',
    'goal: within 2x of node (medians)',
    '(per round)',
  ];
  const text = [
    "\nRatios (ours/tfjs: median over pages of the ratio of the two peers' medians in that page; ours/node: of the medians, and median of the per-round ratios)\n",
    table(head, rows),
  ];
  return { text, ratios };
}

/** Does tfjs learn like a VAE? Epoch means of its per-step losses against Node's epoch means. */
function lossSection(pages: PageRun[], nodes: NodeRun[], colds: ColdRun[]): string[] {
  const perEpoch = pages[0]?.info.stepsPerEpoch ?? 62;
  const rows: Row[] = [];
  for (const p of pages) {
    const l = p.tfjsLosses;
    rows.push([
      `tfjs page, ${p.threads} thread(s)`,
      f1(l[0] ?? Number.NaN),
      f1(l.at(-1) ?? Number.NaN),
      l.length,
      chunkMeans(l, perEpoch).map(f1).join(', '),
    ]);
  }
  for (const n of nodes)
    rows.push([
      `onnxruntime-node, ${n.threads} thread(s)`,
      '-',
      '-',
      n.steps,
      n.epochLosses.map(f1).join(', '),
    ]);
  for (const c of colds.filter((c) => c.result))
    rows.push([
      `${c.peer} cold page, ${c.threads} thread(s)`,
      f1(c.result!.firstLoss),
      f1(c.result!.lastLoss),
      c.result!.steps + 1,
      '-',
    ]);
  // Same seeds, same losses: identical rows (the pages of each thread count, the Node runs) once each.
  const distinct = [...new Map(rows.map((r) => [r.join('|'), r])).values()];
  return [
    '\nLoss (negative ELBO, nats per example, from a fresh init; identical rows shown once)\n',
    table(['run', 'first step', 'last step', 'steps', `epoch means (${perEpoch} steps each)`], distinct),
  ];
}

/** Cold start and memory, per (page, threads). */
function coldSection(colds: ColdRun[], cfg: BenchConfig) {
  const rows: Row[] = [];
  const cold: Record<string, unknown> = {};
  const groups = new Map<string, ColdRun[]>();
  for (const c of colds)
    groups.set(`${c.peer}/${c.threads}`, [...(groups.get(`${c.peer}/${c.threads}`) ?? []), c]);
  for (const [k, cs] of groups) {
    const ok = cs.filter((c) => c.memory);
    const first = ok.filter((c) => c.result).map((c) => c.result!.marks.firstStep!);
    const m = (f: (x: PageMemory) => number | null) => median(ok.map((c) => f(c.memory!) ?? Number.NaN));
    const errs = cs.filter((c) => c.error).map((c) => c.error!.split('\n')[0]);
    rows.push([
      k,
      first.length ? `${f0(median(first))} (${first.map(f0).join(', ')})` : '-',
      f0(m((x) => x.rendererPeakMiB)),
      f1(m((x) => x.jsHeapUsedMiB)),
      f1(m((x) => x.uaMemoryMiB)),
      f1(median(ok.map((c) => (c.result?.memory.wasmHeapBytes ?? Number.NaN) / MiB))),
      ok.some((c) => c.result) ? ok.map((c) => c.result?.memory.firstCallSteps ?? 1).join(',') : '-',
      Object.keys(ok[0]?.result?.marks ?? {})
        .filter((k) => k !== 'entry' && k !== 'firstStep')
        .map((k) => `${k} ${f0(median(ok.map((c) => c.result?.marks[k] ?? Number.NaN)))}`)
        .join(', ') || '-',
      ok.length ? ok.map((c) => c.result?.runtimeThreads ?? '-').join(',') : (errs[0] ?? '-'),
    ]);
    cold[k] = cs;
  }
  const head = [
    'page/threads',
    'first step ms (median; runs)',
    'renderer peak RSS MiB',
    'JS heap used MiB',
    'measureUserAgentSpecificMemory MiB',
    'tfjs wasm heap MiB',
    'steps in first call',
    'on the way (median ms)',
    'runtime threads / error',
  ];
  const text = [
    `\nCold start (fresh profile: navigation to the first completed training step) and the page's memory after ${cfg.coldSteps} more steps\n`,
    table(head, rows),
  ];
  return { text, cold };
}

/** The printed report and its figures for results.json. */
export function report(pages: PageRun[], nodes: NodeRun[], colds: ColdRun[], cfg: BenchConfig) {
  const speed = speedSection(pages, nodes, cfg);
  const ratios = ratioSection(pages, nodes);
  const cold = coldSection(colds, cfg);
  const text = [...speed.text, ...ratios.text, ...lossSection(pages, nodes, colds), ...cold.text];
  return { text: text.join('\n'), json: { speed: speed.speed, ratios: ratios.ratios, cold: cold.cold } };
}
