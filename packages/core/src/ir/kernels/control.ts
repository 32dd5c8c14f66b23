import type { HostTensor } from '../dtype';
import { FeedError } from '../errors';
import type { Graph } from '../graph';
import type { Kernel } from './kernel';

/**
 * ONNX Loop: runs `body(iter, cond, carried...) -> (cond, carried..., scans...)` up to M times
 * (or while cond holds) and stacks the scan outputs along a new leading axis.
 */
export const loopKernel: Kernel = (ins, a, ctx) => {
  const body = a.body as Graph;
  const trip = ins[0] ? Number((ins[0].data as BigInt64Array)[0]) : Number.POSITIVE_INFINITY;
  let cond = ins[1] ? (ins[1].data as Uint8Array)[0] !== 0 : true;
  if (!Number.isFinite(trip) && !ins[1]) throw new FeedError('Loop: needs a trip count or a condition');
  let carried = ins.slice(2).map((t, i) => {
    if (!t) throw new FeedError(`Loop: loop-carried input ${i} is missing`);
    return t;
  });
  const nScan = body.outputs.length - 1 - carried.length;
  const scans: HostTensor[][] = Array.from({ length: nScan }, () => []);
  for (let i = 0; i < trip && cond; i++) {
    const iter: HostTensor = { dtype: 'int64', shape: [], data: BigInt64Array.of(BigInt(i)) };
    const condT: HostTensor = { dtype: 'bool', shape: [], data: Uint8Array.of(1) };
    const outs = ctx.runSubgraph(body, [iter, condT, ...carried]);
    cond = (outs[0]!.data as Uint8Array)[0] !== 0;
    carried = outs.slice(1, 1 + carried.length);
    outs.slice(1 + carried.length).forEach((s, k) => scans[k]!.push(s));
  }
  const stacked = scans.map((list, k) => {
    const proto = body.outputs[1 + carried.length + k]!;
    const inner = list[0]?.shape ?? proto.shape.map((d) => (typeof d === 'number' ? d : 0));
    const n = list.reduce((s, t) => s + t.data.length, 0);
    const Ctor = (list[0]?.data.constructor ?? Float32Array) as new (n: number) => HostTensor['data'];
    const data = new Ctor(n);
    let off = 0;
    for (const t of list) {
      (data as Float32Array).set(t.data as Float32Array, off);
      off += t.data.length;
    }
    return { dtype: proto.dtype, shape: [list.length, ...inner], data } as HostTensor;
  });
  return [...carried, ...stacked];
};
