/** VJPs of the normalisation layers, built from IR ops only. */
import type { Tensor } from '../ir/tensor';
import type { VjpRule } from './vjp-types';

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * BatchNormalization (inference form): y = (x - mean) * scale / sqrt(var + eps) + B, per channel
 * (axis 1). Every input is differentiable: with inv = (var + eps)^-1/2 and sums over all axes
 * but 1, dX = g*scale*inv, dScale = sum(g*(x-mean))*inv, dB = sum(g), dMean = -sum(g)*scale*inv,
 * dVar = -sum(g*(x-mean))*scale*inv^3/2.
 */
const batchNormVjp: VjpRule = ([g], node, wants) => {
  const [x, scale, , mean, variance] = node.inputs as Tensor[];
  const eps = node.attrs.epsilon as number;
  // [C] parameters broadcast against [N, C, ...] as [C, 1, ...].
  const perChannel = (p: Tensor) =>
    x!.rank === 2 ? p : p.reshape([x!.shape[1] as number, ...range(2, x!.rank).map(() => 1)]);
  const axes = [0, ...range(2, x!.rank)];
  const inv = variance!.add(eps).sqrt().reciprocal();
  const gSum = wants[2] || wants[3] ? g!.sum(axes) : null;
  const gxc = wants[1] || wants[4] ? g!.mul(x!.sub(perChannel(mean!))).sum(axes) : null;
  return [
    wants[0] ? g!.mul(perChannel(scale!.mul(inv))) : null,
    wants[1] ? gxc!.mul(inv) : null,
    wants[2] ? gSum : null,
    wants[3] ? gSum!.mul(scale!).mul(inv).neg() : null,
    wants[4] ? gxc!.mul(scale!).mul(inv.mul(inv).mul(inv)).mul(-0.5) : null,
  ];
};

/**
 * LayerNormalization over axes [axis, rank): y = xhat * Scale + B with xhat = (x - mu) * inv,
 * inv = (var + eps)^-1/2 (biased variance). Mean and inv are recomputed. dB and dScale sum g and
 * g*xhat over the leading axes; dX = inv * (dxhat - mean(dxhat) - xhat * mean(dxhat*xhat)) with
 * dxhat = g*Scale and means over the normalised axes.
 */
const layerNormVjp: VjpRule = ([g], node, wants) => {
  const [x, scale] = node.inputs as [Tensor, Tensor, Tensor | null];
  const r = x.rank;
  const axis =
    (node.attrs.axis as number) < 0 ? (node.attrs.axis as number) + r : (node.attrs.axis as number);
  const norm = range(axis, r);
  const lead = range(0, axis);
  const xc = x.sub(x.mean(norm, true));
  const inv = xc
    .square()
    .mean(norm, true)
    .add(node.attrs.epsilon as number)
    .sqrt()
    .reciprocal();
  const xhat = xc.mul(inv);
  const sumLead = (t: Tensor) => (lead.length ? t.sum(lead) : t);
  let dx: Tensor | null = null;
  if (wants[0]) {
    const dxhat = g!.mul(scale);
    dx = inv.mul(dxhat.sub(dxhat.mean(norm, true)).sub(xhat.mul(dxhat.mul(xhat).mean(norm, true))));
  }
  return [dx, wants[1] ? sumLead(g!.mul(xhat)) : null, wants[2] ? sumLead(g!) : null];
};

/** VJPs of the normalisation layers. */
export const normVjpRules = {
  BatchNormalization: batchNormVjp,
  LayerNormalization: layerNormVjp,
} satisfies Record<string, VjpRule>;
