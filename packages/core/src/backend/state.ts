import type { HostTensor } from '../ir/dtype';
import { FeedError, IRError } from '../ir/errors';
import type { CompiledGraph, Feeds, StatefulGraph } from './backend';

/**
 * Keeps state between runs of `compiled` on the host: input `name` of `carry` is fed the state's
 * value, and after each run the state takes the value of output `carry[name]`. This is how a
 * training step graph (parameters and optimizer state in, `next.*` out) runs call after call on any
 * backend; with K steps per call inside an ONNX Loop, the state crosses the host once per K steps.
 * @param carry - output name of each carried input's next value, by input name
 * @param initial - the first run's value of every carried input
 */
export function carryState(
  compiled: CompiledGraph,
  carry: Readonly<Record<string, string>>,
  initial: Feeds,
): StatefulGraph {
  const inputs = new Set(compiled.inputNames);
  const outputs = new Set(compiled.outputNames);
  for (const [input, output] of Object.entries(carry)) {
    if (!inputs.has(input)) throw new IRError(`carryState: the graph has no input ${input}`);
    if (!outputs.has(output)) throw new IRError(`carryState: the graph has no output ${output}`);
  }
  const carriedOutputs = new Set(Object.values(carry));
  let state: Record<string, HostTensor> = {};
  const setState = (values: Feeds) => {
    for (const name of Object.keys(values))
      if (!(name in carry)) throw new IRError(`carryState: ${name} is not carried state`);
    state = { ...state, ...values };
  };
  setState(initial);
  const missing = Object.keys(carry).filter((n) => !(n in state));
  if (missing.length) throw new FeedError(`carryState: no initial value for ${missing.join(', ')}`);
  return {
    get state() {
      return state;
    },
    setState,
    async run(feeds) {
      const out = await compiled.run({ ...feeds, ...state });
      state = Object.fromEntries(Object.entries(carry).map(([input, output]) => [input, out[output]!]));
      return Object.fromEntries(Object.entries(out).filter(([name]) => !carriedOutputs.has(name)));
    },
  };
}
