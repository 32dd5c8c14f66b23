/**
 * Counter-based PRNG with explicit keys (Threefry-2x32-20, JAX-compatible block cipher and seeding).
 * @packageDocumentation
 */
export { bernoulli, normal, permutation, randomBits, uniform } from './draws';
export { FOLD_TAG, fold, InvalidSeedError, key, type PRNGKey, SPLIT_TAG, split } from './key';
export { threefry2x32, threefry2x32Fill } from './threefry';
