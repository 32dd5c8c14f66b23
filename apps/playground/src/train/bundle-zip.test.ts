import { strFromU8, strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bundleZip } from './bundle-zip';

describe('bundleZip', () => {
  it('puts every file of the bundle, byte for byte, in a bundle/ folder', () => {
    const files = {
      'manifest.json': strToU8('{"format":1}'),
      'decoder.onnx': new Uint8Array([0, 1, 2, 255]),
    };
    const back = unzipSync(bundleZip(files));
    expect(Object.keys(back).sort()).toEqual(['bundle/decoder.onnx', 'bundle/manifest.json']);
    expect(strFromU8(back['bundle/manifest.json']!)).toBe('{"format":1}');
    expect(Array.from(back['bundle/decoder.onnx']!)).toEqual([0, 1, 2, 255]);
  });
});
