// Writes the test images `vae eval --run R` scores (binarised once, as splitInputs does) as raw
// uint8 0/1 pixels, n x D, so the PyTorch peer (torch_iw_eval.py) scores the very same images.
//   tsx --conditions=@vae/source bench/eval/dump-test.ts RUN OUT [LIMIT]
import { writeFileSync } from 'node:fs';
import { loadRun, loadRunData, splitInputs } from '@vae/train-node';

const [runDir, out, limit] = process.argv.slice(2);
if (!runDir || !out) throw new Error('usage: dump-test.ts RUN OUT [LIMIT]');
const run = loadRun(runDir);
const data = await loadRunData(run.config);
const inputs = splitInputs(data.test, run.config.data, 0, limit ? Number(limit) : undefined);
const x = inputs.x!.data as Float32Array;
if (!x.every((v) => v === 0 || v === 1)) throw new Error(`${runDir}: test pixels are not binarised`);
writeFileSync(out, Uint8Array.from(x));
console.log(JSON.stringify({ n: inputs.x!.shape[0], dims: x.length / inputs.x!.shape[0]!, out }));
