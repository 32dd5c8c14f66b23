// The peer's cold start: backend init (wasm fetch + compile) and weights, started as the module runs.
import { coldThreads, firstPicture } from './cold';
import { createTfjs, initTfjs } from './tfjs-peer';

void firstPicture(
  'tfjs',
  initTfjs(coldThreads).then(() => createTfjs()),
);
