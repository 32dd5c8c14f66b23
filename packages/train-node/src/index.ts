// @vae/train-node public API (training, export and the CLI arrive with their issue).
export type { DemoResult } from './demo';
export { foundationDemo } from './demo';
