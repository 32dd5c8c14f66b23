import { it } from 'vitest';
import { BrowserTrainer, memoryStorage, serveTrainer } from './index';
import { embeddedDigitsBytes } from './node';

// The README's Node example, as written there (imports from the package's own entries): keep in step.
it('README example runs', async () => {
  const { port1, port2 } = new MessageChannel();
  serveTrainer(port2, { storage: memoryStorage() }); // what the worker does with its `self`
  port1.start();
  port2.start();
  const trainer = new BrowserTrainer(port1);

  const done = new Promise((resolve) => trainer.on('done', resolve));
  trainer.on('epoch', (e) =>
    console.log(`epoch ${e.epoch}: loss ${e.trainLoss.toFixed(1)}, val -ELBO ${e.valElbo?.toFixed(1)}`),
  );
  const bytes = await embeddedDigitsBytes(); // the embedded digits, as `vae train` reads them
  await trainer.start({
    runId: 'readme',
    recipe: { hidden: [64], latent: 8, epochs: 1 },
    data: { kind: 'digits', bytes },
  });
  await done;
  const files = await trainer.exportBundle();
  console.log(Object.keys(files)); // [ 'encoder.onnx', 'decoder.onnx', ..., 'manifest.json' ]
  trainer.dispose();
  port2.close();
}, 300_000);
