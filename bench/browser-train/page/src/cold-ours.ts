// Our cold start: navigation to the first completed training step call of @vae/train-web's trainer
// (`?k=N` sets its steps per call; default as `vae train`, one epoch of 54 steps here), then
// `?steps=N` more steps; the same hooks as cold-tfjs.ts.
import { pageParams, pageSteps, pageThreads, publishCold } from './common';
import { createOurs } from './ours';

const marks: Record<string, number> = { entry: performance.now() };
await publishCold(async () => {
  const ours = await createOurs(pageThreads);
  marks.trainerCreated = performance.now();
  const k = pageParams.get('k');
  const first = await ours.cold(pageSteps, k ? Number(k) : undefined);
  marks.trainerReady = first.ready;
  marks.firstStep = first.firstStep;
  const tail = await first.done;
  return {
    peer: k ? `ours k=${k}` : 'ours',
    marks,
    runtimeThreads: ours.runtimeThreads ?? Number.NaN,
    steps: tail.steps,
    samplesPerSecond: tail.samplesPerSecond,
    firstLoss: first.firstLoss,
    lastLoss: tail.lastLoss,
    memory: { firstCallSteps: first.firstCallSteps },
  };
});
