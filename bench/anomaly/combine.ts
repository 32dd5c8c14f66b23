// Combined anomaly scores of the one-class Fashion-MNIST bench (issue 15), from the per-example
// scores `run.mjs --scores-dir DIR` keeps: each part is standardised on the normal class's
// validation split (mean and std of its validation scores: normal data only, no anomaly labels)
// and the parts are summed (@vae/train-node's standardisedSum). Prints AUROC x 100 per class and
// the mean for every combination asked, and writes them to bench/anomaly/results.json under --tag.
//
//   tsx --conditions=@vae/source bench/anomaly/combine.ts --dir DIR \
//     --combo conv-gaussian-0.1:elbo+mlp-gaussian-0.1:regret [--combo ...] [--classes 0,...,9] [--tag T]
//
// A part is SOURCE:METHOD, SOURCE the `<tag>-<model>` prefix of run.mjs's files, METHOD one of the
// score columns (elbo, recon, kl, nll, regret, latent).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { auroc, standardisedSum } from '@vae/train-node';
import { methodColumn, readScoreTable } from './score-table';

const RESULTS = path.join(path.dirname(new URL(import.meta.url).pathname), 'results.json');

const { values: opt } = parseArgs({
  options: {
    dir: { type: 'string' },
    combo: { type: 'string', multiple: true },
    classes: { type: 'string', default: '0,1,2,3,4,5,6,7,8,9' },
    tag: { type: 'string' },
  },
});
if (!opt.dir || !opt.combo) throw new Error('give --dir DIR and at least one --combo A:m+B:m');

const csv = (source: string, c: number, split: 'test' | 'val') =>
  readScoreTable(path.join(opt.dir!, `${source}-${c}-${split}.csv`));

const classes = opt.classes.split(',').map(Number);
const out: Record<string, Record<string, number>> = {};
for (const combo of opt.combo) {
  const parts = combo.split('+').map((p) => {
    const i = p.lastIndexOf(':');
    return { source: p.slice(0, i), method: p.slice(i + 1) };
  });
  out[combo] = {};
  for (const c of classes) {
    const test = parts.map((p) =>
      methodColumn(csv(p.source, c, 'test'), p.method, `${p.source} class ${c} test`),
    );
    // The validation split of a `--classes c` run is class c only; keep c's rows all the same.
    const val = parts.map((p) => {
      const t = csv(p.source, c, 'val');
      const col = methodColumn(t, p.method, `${p.source} class ${c} val`);
      return col.filter((_, i) => t.label![i] === c);
    });
    const labels = Uint8Array.from(csv(parts[0]!.source, c, 'test').anomaly!);
    for (const p of parts.slice(1)) {
      const other = csv(p.source, c, 'test');
      if (!other.index!.every((v, i) => v === csv(parts[0]!.source, c, 'test').index![i]))
        throw new Error(`${p.source} class ${c}: test rows differ from ${parts[0]!.source}'s`);
    }
    const score = standardisedSum(
      test,
      val,
      parts.map((p) => `${p.source}:${p.method}`),
    );
    out[combo][c] = auroc(score, labels);
  }
  const mean = classes.reduce((s, c) => s + out[combo]![c]!, 0) / classes.length;
  console.log(
    `${combo}: ${classes.map((c) => `${c} ${(out[combo]![c]! * 100).toFixed(2)}`).join(', ')}; mean ${(mean * 100).toFixed(2)}`,
  );
}

if (opt.tag) {
  const all = JSON.parse(readFileSync(RESULTS, 'utf8'));
  all[opt.tag] = { method: 'sum of scores standardised on normal validation data (combine.ts)', auroc: out };
  writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
}
