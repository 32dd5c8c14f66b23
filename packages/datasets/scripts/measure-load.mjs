// Measures load time of the datasets from the built package (run `pnpm run build` first).
// Usage: /usr/bin/time -v node scripts/measure-load.mjs <fashion|default|baseline> [cacheDir]
// Peak memory is the "Maximum resident set size" that /usr/bin/time -v prints.
import { fashionMnist, mnistDefault } from '../dist/index.js';

const [which = 'fashion', cacheDir] = process.argv.slice(2);
const start = performance.now();
let summary = '';
if (which === 'fashion') {
  const { train, test } = await fashionMnist();
  summary = `fashion-mnist train=${train.count} test=${test.count}`;
} else if (which === 'default') {
  const d = await mnistDefault(cacheDir ? { cacheDir } : {});
  summary = `mnist-default train=${d.train.count} test=${d.test.count} cache=${d.cacheStatus}`;
} else {
  summary = 'baseline (import only)';
}
const ms = performance.now() - start;
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(`${summary}: ${ms.toFixed(0)} ms, rss now ${rss.toFixed(0)} MiB`);
