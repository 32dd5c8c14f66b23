import { permProblem } from './permute';
import { join, type LayerSpec, LayerSpecError, type Pair, pairOf } from './spec';

const ACTIVATIONS = new Set(['relu', 'leakyRelu', 'elu', 'tanh', 'sigmoid', 'softplus', 'identity']);
const INITS = new Set(['torch', 'glorot', 'he']);

const isInt = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min;

/**
 * Checks a spec's own fields (not its fit to an input), recursively; throws a {@link LayerSpecError}
 * naming the first bad layer. Specs read from JSON should pass through here.
 */
export function validate(spec: LayerSpec, prefix = ''): void {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new LayerSpecError(prefix, typeof spec, 'a layer spec must be an object with a type');
  const s = spec as unknown as Record<string, unknown>;
  const type = typeof s.type === 'string' ? s.type : String(s.type);
  const fail = (detail: string): never => {
    throw new LayerSpecError(prefix, type, detail);
  };
  const int = (name: string, min: number, optional = false) => {
    const v = s[name];
    if (v === undefined && optional) return;
    if (!isInt(v, min)) fail(`${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  };
  const pair = (name: string, min: number, optional = true) => {
    const v = s[name] as Pair | undefined;
    if (v === undefined && optional) return;
    const ok = isInt(v, min) || (Array.isArray(v) && v.length === 2 && v.every((d) => isInt(d, min)));
    if (!ok) fail(`${name} must be an integer >= ${min} or two of them, got ${JSON.stringify(v)}`);
  };
  const flag = (name: string) => {
    if (s[name] !== undefined && typeof s[name] !== 'boolean') fail(`${name} must be a boolean`);
  };
  const initScheme = () => {
    if (s.init !== undefined && !INITS.has(s.init as string))
      fail(`init must be torch, glorot or he, got ${JSON.stringify(s.init)}`);
  };
  const positive = (name: string) => {
    const v = s[name];
    if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v)))
      fail(`${name} must be a positive number`);
  };
  switch (spec.type) {
    case 'dense':
      int('in', 1);
      int('out', 1);
      flag('bias');
      initScheme();
      return;
    case 'conv2d':
    case 'convTranspose2d': {
      int('inChannels', 1);
      int('outChannels', 1);
      int('groups', 1, true);
      pair('kernel', 1, false);
      pair('stride', 1);
      pair('padding', 0);
      pair('dilation', 1);
      flag('bias');
      initScheme();
      const g = spec.groups ?? 1;
      if (spec.inChannels % g || spec.outChannels % g)
        fail(`groups=${g} must divide inChannels=${spec.inChannels} and outChannels=${spec.outChannels}`);
      if (spec.type === 'convTranspose2d' && spec.outputPadding !== undefined) {
        pair('outputPadding', 0);
        const [st, di, op] = [spec.stride ?? 1, spec.dilation ?? 1, spec.outputPadding].map(pairOf);
        if (op![0] >= Math.max(st![0], di![0]) || op![1] >= Math.max(st![1], di![1]))
          fail(`outputPadding must be smaller than stride or dilation, got [${op}]`);
      }
      return;
    }
    case 'conv1d':
    case 'convTranspose1d': {
      int('inChannels', 1);
      int('outChannels', 1);
      int('groups', 1, true);
      int('kernel', 1);
      int('stride', 1, true);
      int('dilation', 1, true);
      pair('padding', 0); // [left, right] here
      flag('bias');
      initScheme();
      const g = spec.groups ?? 1;
      if (spec.inChannels % g || spec.outChannels % g)
        fail(`groups=${g} must divide inChannels=${spec.inChannels} and outChannels=${spec.outChannels}`);
      if (spec.type === 'conv1d') {
        flag('causal');
        if (spec.causal && spec.padding !== undefined)
          fail('causal sets the padding; do not give padding too');
      } else if (spec.outputPadding !== undefined) {
        int('outputPadding', 0);
        if (spec.outputPadding >= Math.max(spec.stride ?? 1, spec.dilation ?? 1))
          fail(`outputPadding must be smaller than stride or dilation, got ${spec.outputPadding}`);
      }
      return;
    }
    case 'embedding':
      int('vocab', 1);
      int('dim', 1);
      return;
    case 'gru':
    case 'lstm':
      int('inputSize', 1);
      int('hiddenSize', 1);
      flag('bias');
      if (spec.output !== undefined && spec.output !== 'all' && spec.output !== 'last')
        fail(`output must be "all" or "last", got ${JSON.stringify(spec.output)}`);
      return;
    case 'permute': {
      const problem = permProblem(spec.perm);
      if (problem) fail(problem);
      return;
    }
    case 'repeat':
      int('times', 1);
      return;
    case 'upsample':
      pair('scale', 1, false);
      return;
    case 'reshape': {
      const sh = spec.shape;
      if (
        !Array.isArray(sh) ||
        !sh.every((d) => isInt(d, 1) || d === -1) ||
        sh.filter((d) => d === -1).length > 1
      )
        fail(`shape must be positive integers with at most one -1, got ${JSON.stringify(sh)}`);
      return;
    }
    case 'flatten':
      return;
    case 'activation':
      if (!ACTIVATIONS.has(spec.fn)) fail(`unknown activation fn ${JSON.stringify(spec.fn)}`);
      if (spec.alpha !== undefined) {
        if (spec.fn !== 'leakyRelu' && spec.fn !== 'elu') fail(`alpha applies only to leakyRelu and elu`);
        if (typeof spec.alpha !== 'number' || !Number.isFinite(spec.alpha))
          fail('alpha must be a finite number');
      }
      return;
    case 'layerNorm':
      if (!Array.isArray(spec.shape) || spec.shape.length === 0 || !spec.shape.every((d) => isInt(d, 1)))
        fail(`shape must be a non-empty list of positive integers, got ${JSON.stringify(spec.shape)}`);
      positive('eps');
      flag('affine');
      return;
    case 'batchNorm':
      int('channels', 1);
      positive('eps');
      return;
    case 'dropout':
      if (typeof spec.rate !== 'number' || !(spec.rate >= 0 && spec.rate <= 1))
        fail(`rate must be in [0, 1], got ${JSON.stringify(spec.rate)}`);
      return;
    case 'residual':
      if (spec.body === undefined) fail('body is required');
      validate(spec.body, join(prefix, 'body'));
      return;
    case 'sequential':
      if (!Array.isArray(spec.layers)) fail('layers must be a list');
      spec.layers.forEach((l, i) => validate(l, join(prefix, i)));
      return;
    default:
      fail('unknown layer type');
  }
}
