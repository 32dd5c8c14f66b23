/** Lowers a VAE's probability role graphs into bundle files (format 2: `manifest.graphs`). */
import type { BundleGraphInfo, BundleGraphs } from '../bundle/manifest';
import type { HostTensor } from '../ir/dtype';
import type { Tensor } from '../ir/tensor';
import { type ProbabilityRole, probabilityRoleGraph } from '../models/probability-roles';
import type { VAE } from '../models/vae';
import { lowerToModel } from '../onnx/lower';
import { encodeModel } from '../onnx/onnx-proto';
import { pruneInitializers } from './onnx-export';

/** File names of the probability graphs, by manifest key. */
export const PROBABILITY_FILES = {
  dataMean: 'data-mean.onnx',
  dataSample: 'data-sample.onnx',
  posteriorSample: 'posterior-sample.onnx',
  score: 'score.onnx',
  priorSample: 'prior-sample.onnx',
} as const satisfies Record<keyof BundleGraphs, string>;

const ROLES: Record<keyof BundleGraphs, ProbabilityRole> = {
  dataMean: 'data-mean',
  dataSample: 'data-sample',
  posteriorSample: 'posterior-sample',
  score: 'score',
  priorSample: 'prior-sample',
};

/**
 * The probability graphs of a bundle, lowered with the trained parameters baked in. They hold no
 * layer weights (the score graph takes the encoder's and decoder's outputs instead of repeating
 * them), only small likelihood and prior parameters (a learned Gaussian scale, mixture components),
 * so they stay float32 in every dtype: a few kB per bundle.
 */
export function exportProbabilityGraphs(
  vae: VAE,
  params: Record<string, HostTensor>,
  metadata: Record<string, string>,
  /** The graphs to export (default all; the prior-sample graph only for mixture priors). */
  only?: readonly (keyof BundleGraphs)[],
): { files: Record<string, Uint8Array>; graphs: BundleGraphs } {
  const files: Record<string, Uint8Array> = {};
  const graphs: Partial<Record<keyof BundleGraphs, BundleGraphInfo>> = {};
  const keys = only ?? (Object.keys(ROLES) as (keyof BundleGraphs)[]);
  for (const k of keys) {
    if (k === 'priorSample' && vae.spec.prior.type === 'standard-normal') continue;
    const role = ROLES[k];
    const built = probabilityRoleGraph(vae, role, { bind: params });
    const bind = built.bind!;
    const model = pruneInitializers(
      lowerToModel(built.graph, {
        outputs: built.outputs,
        bind,
        name: role,
        metadata: { ...metadata, role },
      }),
    );
    const info = (name: string, t: Tensor) => ({
      name,
      shape: [...t.shape],
      ...(built.noise[name] ? { noise: built.noise[name] } : {}),
    });
    const file = PROBABILITY_FILES[k];
    files[file] = encodeModel(model);
    graphs[k] = {
      file,
      inputs: built.graph.inputs.filter((t) => !Object.hasOwn(bind, t.name)).map((t) => info(t.name, t)),
      outputs: Object.entries(built.outputs).map(([n, t]) => info(n, t)),
    };
  }
  return { files, graphs: graphs as BundleGraphs };
}
