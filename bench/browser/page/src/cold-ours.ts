// Tuned cold start: this entry statically imports onnxruntime-web (Vite modulepreloads its chunk),
// the HTML preloads the wasm and the model, and the session is created as the module runs.
import { coldParams, coldThreads, firstPicture } from './cold';
import { configureOrt, createOurs } from './ours';

configureOrt(coldThreads);
const model = coldParams.get('model') ?? 'decoder.onnx';
void firstPicture('ours-tuned', createOurs(`/models/${model}`));
