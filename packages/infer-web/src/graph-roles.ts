import type { BundleGraphInfo, BundleManifest } from '@vae/core/bundle';
import type { Session } from './runtime';

/** The bundle's graphs by manifest role. */
export type GraphRole = 'encoder' | 'decoder' | keyof BundleManifest['graphs'];
/** Encoder and decoder always; the probability graphs the bundle ships (text bundles ship none). */
export type Sessions = { encoder: Session; decoder: Session } & {
  [R in keyof BundleManifest['graphs']]?: Session;
};

/** The manifest entry of a graph role. */
export const graphInfo = (m: BundleManifest, role: GraphRole): BundleGraphInfo | undefined =>
  role === 'encoder' || role === 'decoder' ? m[role] : m.graphs[role];
