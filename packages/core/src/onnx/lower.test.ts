import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Graph } from '../ir/graph';
import { interpret } from '../ir/interpret';
import { buildCase, relError } from '../testing/harness';
import { mlpProblem } from '../testing/mlp';
import { opCases } from '../testing/op-cases';
import { onnxCheck } from '../testing/python';
import { IR_VERSION, lowerToModel, OPSET, toOnnx } from './lower';
import { decodeModel } from './onnx-proto';
import { type LowerPass, lowerPasses } from './passes/index';
import { fromOnnx, OnnxImportError } from './read';

const dir = mkdtempSync(join(tmpdir(), 'vae-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ONNX lowering', () => {
  it('writes opset 17 / IR 8 with named inputs, outputs and a symbolic batch dim', () => {
    const p = mlpProblem();
    const model = decodeModel(toOnnx(p.graph, { outputs: { loss: p.loss } }));
    expect(model.irVersion).toBe(IR_VERSION);
    expect(model.opsetImport).toEqual([{ domain: '', version: OPSET }]);
    expect(model.graph.input.map((i) => i.name)).toEqual(['x', 'y', 'w1', 'b1', 'w2', 'b2']);
    expect(model.graph.input[0]!.shape).toEqual(['N', 6]);
    expect(model.graph.output).toEqual([{ name: 'loss', elemType: 1, shape: [] }]);
  });

  it('a ReduceSum of a Softplus over trailing axes lowers with one Log per chunk, not per element', () => {
    const ops = (build: (x: import('../ir/tensor').Tensor) => import('../ir/tensor').Tensor) => {
      const g = new Graph();
      const x = g.input('x', ['N', 784]);
      return lowerToModel(g, { outputs: { y: build(x) } }).graph.node.map((n) => n.opType);
    };
    const fused = ops((x) => x.softplus().sum([-1]));
    expect(fused).toContain('ReduceProd');
    expect(fused.filter((o) => o === 'Log')).toHaveLength(1); // on [N, 7] chunk products
    // Read by anything else, the Softplus stays element-wise: Relu(x) - Log(Sigmoid(|x|)).
    const plain = ops((x) => {
      const y = x.softplus();
      return y.sum([-1]).add(y.max([-1]));
    });
    expect(plain).not.toContain('ReduceProd');
    expect(plain.filter((o) => o === 'Sigmoid')).toHaveLength(1);
  });

  it('runs the named passes, then the 1:1 rules: without passes every op is one ONNX node', () => {
    expect(lowerPasses.map((p) => p.name)).toEqual(['softplus-sum', 'softplus-sigmoid', 'conv-fold']);
    const g = new Graph();
    const x = g.input('x', ['N', 784]);
    const y = x.softplus();
    const outputs = { s: y.sum([-1]), e: x.exp().softplus() };
    const opTypes = (passes?: readonly LowerPass[]) =>
      lowerToModel(g, { outputs, ...(passes ? { passes } : {}) })
        .graph.node.map((n) => n.opType)
        .filter((op) => op !== 'Identity'); // the named outputs
    expect(opTypes([])).toEqual(['Softplus', 'ReduceSum', 'Exp', 'Softplus']);
    // The fusion takes the summed Softplus; the other Softplus is left to the next pass, or to its rule.
    const fusedOnly = opTypes([lowerPasses[0]!]);
    expect(fusedOnly).toContain('ReduceProd');
    expect(fusedOnly.slice(-2)).toEqual(['Exp', 'Softplus']);
    expect(opTypes().slice(-6)).toEqual(['Exp', 'Relu', 'Abs', 'Sigmoid', 'Log', 'Sub']);
  });

  it('bind turns inputs into initializers (how trained weights are exported)', () => {
    const p = mlpProblem();
    const model = lowerToModel(p.graph, {
      outputs: { loss: p.loss },
      bind: { w1: p.feeds.w1!, b1: p.feeds.b1! },
    });
    expect(model.graph.input.map((i) => i.name)).toEqual(['x', 'y', 'w2', 'b2']);
    expect(model.graph.initializer.map((t) => t.name)).toEqual(expect.arrayContaining(['w1', 'b1']));
  });

  it('passes onnx.checker.check_model(full_check=True) for every file it writes', () => {
    const p = mlpProblem();
    const files: string[] = [];
    const write = (name: string, bytes: Uint8Array) => {
      const f = join(dir, `${name}.onnx`);
      writeFileSync(f, bytes);
      files.push(f);
    };
    write(
      'mlp-forward-grad',
      toOnnx(p.graph, {
        outputs: { loss: p.loss, ...Object.fromEntries(p.grads.map((g, i) => [`g${i}`, g])) },
      }),
    );
    const { params, losses } = p.sgdLoop(4, 0.1);
    write(
      'mlp-sgd-loop',
      toOnnx(p.graph, { outputs: { losses, ...Object.fromEntries(params.map((t, i) => [`p${i}`, t])) } }),
    );
    for (const [op, cases] of Object.entries(opCases)) {
      cases.forEach((c, i) => {
        const b = buildCase(c);
        write(
          `${op}-${i}`,
          toOnnx(b.graph, { outputs: Object.fromEntries(b.outputs.map((t, k) => [`y${k}`, t])) }),
        );
      });
    }
    const results = onnxCheck(files);
    expect(results.filter((r) => r !== 'ok')).toEqual([]);
    expect(results).toHaveLength(files.length);
  });
});

describe('ONNX reader', () => {
  it('reads back what it wrote: same values from the imported graph', () => {
    const p = mlpProblem();
    const bytes = toOnnx(p.graph, {
      outputs: { loss: p.loss, g0: p.grads[0]! },
      bind: { w2: p.feeds.w2!, b2: p.feeds.b2! },
    });
    const imported = fromOnnx(bytes);
    expect(Object.keys(imported.initializers)).toEqual(expect.arrayContaining(['b2', 'w2']));
    expect(imported.graph.inputs.map((t) => t.name)).toEqual(['x', 'y', 'w1', 'b1']);
    const { w2: _w2, b2: _b2, ...feeds } = p.feeds;
    const got = interpret(imported.graph, [imported.outputs.loss!, imported.outputs.g0!], feeds);
    const want = interpret(p.graph, [p.loss, p.grads[0]!], p.feeds);
    got.forEach((t, i) => expect(relError(t, want[i]!)).toBe(0));
  });

  it('round-trips a Loop with its body sub-graph', () => {
    const p = mlpProblem();
    const { losses } = p.sgdLoop(3, 0.1);
    const imported = fromOnnx(toOnnx(p.graph, { outputs: { losses } }));
    const [a] = interpret(imported.graph, [imported.outputs.losses!], p.feeds);
    const [b] = interpret(p.graph, [losses], p.feeds);
    expect(relError(a!, b!)).toBe(0);
  });

  it('rejects ops outside the IR with a typed error naming the op', () => {
    const g = new Graph();
    const x = g.input('x', [2]);
    const model = lowerToModel(g, { outputs: { y: x.exp() } });
    model.graph.node[0]!.opType = 'Erf';
    expect(() => fromOnnx(encodeModelFor(model))).toThrow(OnnxImportError);
    expect(() => fromOnnx(encodeModelFor(model))).toThrow(/Erf/);
  });
});

import { encodeModel as encodeModelFor } from './onnx-proto';
