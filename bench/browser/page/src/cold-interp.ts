// First picture without waiting for onnxruntime-web: @vae/core's reference interpreter (plain JS)
// decodes the same ONNX file; ORT (14 MB wasm) is started right after and takes over for the grids
// once ready (marks.ortReady).
import { coldParams, coldThreads, firstPicture, marks } from './cold';
import { interpreterDecoder } from './interp';
import { configureOrt, createOurs } from './ours';

configureOrt(coldThreads);
const url = `/models/${coldParams.get('model') ?? 'decoder.onnx'}`;
const bytes = fetch(url).then(async (r) => new Uint8Array(await r.arrayBuffer()));
const interpreter = bytes.then(interpreterDecoder);
// ORT starts once the picture has been painted: its wasm instantiation and session creation block the
// main thread. The HTML preloads the wasm, so its download is not delayed.
const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
void firstPicture('ours-interpreter-first', interpreter, async () => {
  await nextFrame();
  const ort = await createOurs(await bytes);
  marks.ortReady = performance.now();
  return ort;
});
