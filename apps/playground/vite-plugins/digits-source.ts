// Loaded by digits-asset.ts through Vite's module runner (so workspace packages resolve to src).
export { embeddedDigitsBytes } from '@vae/train-web/node';
