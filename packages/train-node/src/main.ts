// The README's main job. Until training exists (issue: train-node) it shows what the foundation
// runs today; later it trains on the embedded default dataset, exports and opens the playground.
import { foundationDemo } from './demo';

const r = await foundationDemo();
const first = r.losses[0]!;
const last = r.losses[r.losses.length - 1]!;
console.log('vae: foundation ready (@vae/core graph IR, autodiff, ONNX lowering, onnxruntime-node)');
console.log(
  `  ${r.losses.length} SGD steps of a 16-32-1 MLP in one ONNX Loop (${(r.onnxBytes / 1024).toFixed(1)} KiB model)`,
);
console.log(
  `  loss ${first.toFixed(4)} -> ${last.toFixed(4)}, ${r.stepsPerSecond.toFixed(0)} steps/s on onnxruntime-node`,
);
console.log(
  '  ready in @vae/core: VAE/CVAE/AE models, ELBO/IWAE, Adam; @vae/datasets: Fashion-MNIST, embedded digits',
);
console.log('  not yet: the trainer and vae CLI, export bundles, the playground (see open issues)');
