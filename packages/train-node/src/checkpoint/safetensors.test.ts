import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from '@vae/core';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';

// An independent reader: the safetensors layout parsed by Python's struct/json/numpy.
const PY = `
import json, struct, sys
import numpy as np
raw = open(sys.argv[1], 'rb').read()
(n,) = struct.unpack('<Q', raw[:8])
head = json.loads(raw[8:8 + n])
meta = head.pop('__metadata__', {})
out = {'__metadata__': meta}
dt = {'F32': np.float32, 'I64': np.int64, 'U8': np.uint8, 'BOOL': np.bool_}
for name, e in head.items():
    a, b = e['data_offsets']
    arr = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=dt[e['dtype']]).reshape(e['shape'])
    out[name] = {'shape': list(arr.shape), 'sum': float(arr.astype(np.float64).sum()), 'first': float(arr.flat[0]) if arr.size else None}
print(json.dumps(out))
`;

describe('safetensors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'st-'));
  const w = Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 2);
  const tensors = {
    'enc.0.weight': { dtype: 'float32' as const, shape: [3, 4], data: w },
    step: { dtype: 'float32' as const, shape: [], data: Float32Array.of(7) },
    ids: { dtype: 'int64' as const, shape: [2], data: BigInt64Array.of(3n, -4n) },
  };

  it('is read identically by an independent Python parser', () => {
    const path = join(dir, 'a.safetensors');
    writeFileSync(path, encodeSafetensors(tensors, { note: 'hi' }));
    const got = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY, path], { encoding: 'utf8' }));
    expect(got.__metadata__).toEqual({ note: 'hi' });
    expect(got['enc.0.weight']).toEqual({ shape: [3, 4], sum: w.reduce((a, b) => a + b, 0), first: -2 });
    expect(got.step).toEqual({ shape: [], sum: 7, first: 7 });
    expect(got.ids).toEqual({ shape: [2], sum: -1, first: 3 });
  });

  it('round-trips bit for bit and keeps the header 8-byte aligned', () => {
    const bytes = encodeSafetensors(tensors);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const back = decodeSafetensors(bytes).tensors;
    expect(Array.from(back['enc.0.weight']!.data as Float32Array)).toEqual(Array.from(w));
    expect(back.ids!.data).toEqual(BigInt64Array.of(3n, -4n));
  });

  it('rejects truncated files and bad offsets with a SafetensorsError', () => {
    const bytes = encodeSafetensors(tensors);
    expect(() => decodeSafetensors(bytes.subarray(0, 4))).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4))).toThrow(/data_offsets/);
    const garbled = bytes.slice();
    garbled[9] = 0x7b; // '{{' is not JSON
    garbled[10] = 0x7b;
    expect(() => decodeSafetensors(garbled)).toThrow(/not JSON/);
  });

  it('checkpoints carry params, optimizer state and progress in one file', () => {
    const path = join(dir, 'ckpt.safetensors');
    const progress = {
      step: 5,
      epoch: 1,
      stepInEpoch: 2,
      bestValElbo: -100,
      bestEpoch: 1,
      badEpochs: 0,
      finished: null,
    };
    saveCheckpoint(path, { params: { w: tensors['enc.0.weight'] }, state: { step: tensors.step }, progress });
    const c = loadCheckpoint(path);
    expect(c.progress).toEqual(progress);
    expect(Object.keys(c.params)).toEqual(['w']);
    expect(Object.keys(c.state)).toEqual(['step']);
    expect(readFileSync(path).length).toBeGreaterThan(48);
  });
});
