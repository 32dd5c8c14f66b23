// Naive cold start: onnxruntime-web is imported on demand after the page has loaded, nothing preloaded.
import { coldParams, coldThreads, firstPicture, marks } from './cold';

addEventListener('load', () => {
  marks.load = performance.now();
  const model = coldParams.get('model') ?? 'decoder.onnx';
  void firstPicture(
    'ours-plain',
    import('./ours').then((m) => {
      m.configureOrt(coldThreads);
      return m.createOurs(`/models/${model}`);
    }),
  );
});
