/** `@vae/train-node/cli`: the `vae` command line as a function (the bin calls it). */
export { main } from './cli/main';
