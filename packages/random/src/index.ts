/**
 * `@vae/random`: the one PRNG of vae. Counter-based Threefry-2x32-20 keys and bulk draws (JAX's
 * block cipher and seeding), the data-key family that `@vae/datasets` streams are pinned to, and
 * fast xoshiro128** streams with ziggurat normals for hot loops. Browser-safe: no Node built-ins.
 * @packageDocumentation
 */

// Fast streams for hot loops: training noise and dynamic binarisation.
export { binarizeDraws, binarizeLaneSeeds } from './binarize-streams';
// The data-key family: @vae/datasets' shuffling, binarisation and synthetic-data streams.
export { dataPermutation, fillNormal, fillUniform, fillWords } from './data-draws';
export { type DataKey, dataKey, foldIn, type KeyLike, splitKey, toDataKey } from './data-key';
// Keys and draws (JAX style): what @vae/core re-exports.
export { bernoulli, normal, permutation, randomBits, uniform } from './draws';
// Errors (user-facing: they carry @vae/core's user-error brand).
export { InvalidSeedError, RandomArgumentError } from './errors';
export { FOLD_TAG, fold, key, type PRNGKey, SPLIT_TAG, split } from './key';
export { fillStream } from './stream';
// The block cipher.
export { threefry2x32, threefry2x32Fill, threefry2x32Into } from './threefry';
export { type XoshiroState, xoshiro128ss, xoshiroNext, xoshiroState } from './xoshiro';
export { zigguratNormals } from './ziggurat';
