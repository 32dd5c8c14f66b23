// tfjs's cold start: navigation to the first completed training step (backend init and the data
// fetch run together, then the model is built and one step taken), then `?steps=N` more steps so the
// driver can read the page's memory at its working size.
import { Batches, fetchDigits, pageSteps, pageThreads, publishCold } from './common';
import { initTfjs, TfjsVae, tfjsMemory } from './tfjs-trainer';

const marks: Record<string, number> = { entry: performance.now() };
await publishCold(async () => {
  const [runtimeThreads, digits] = await Promise.all([
    initTfjs(pageThreads).then((t) => {
      marks.backendReady = performance.now();
      return t;
    }),
    fetchDigits().then((d) => {
      marks.dataLoaded = performance.now();
      return d;
    }),
  ]);
  const vae = new TfjsVae(1);
  const batches = new Batches(digits);
  marks.modelBuilt = performance.now();
  const firstLoss = vae.step(batches.next());
  marks.firstStep = performance.now();
  let lastLoss = firstLoss;
  const t0 = performance.now();
  for (let i = 0; i < pageSteps; i++) lastLoss = vae.step(batches.next());
  const seconds = (performance.now() - t0) / 1000;
  return {
    peer: 'tfjs',
    marks,
    runtimeThreads,
    steps: pageSteps,
    samplesPerSecond: (pageSteps * batches.batch) / seconds,
    firstLoss,
    lastLoss,
    memory: tfjsMemory(),
  };
});
