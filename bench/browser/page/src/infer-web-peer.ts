// "Ours" through the library: @vae/infer-web's loadModel(bundle).decode(z), the path apps use.
import { loadModel } from '@vae/infer-web';
import type { Decoder } from './ours';

export async function createInferWeb(bundleUrl: string, threads: number): Promise<Decoder> {
  const model = await loadModel(bundleUrl, { threads });
  return {
    decode: async (z) => (await model.decode(z)).params,
    release: () => model.dispose(),
  };
}
