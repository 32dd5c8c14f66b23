import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vae } from '../cli/test-helpers';
import { DeviceError, parseDevice } from './device';
import { OrtBackend, requireDevice } from './ort-backend';

// This machine kind has no GPU: what is tested here is the refusal, at once and in one line that
// names what to install. Where a GPU and its provider do exist the refusals are skipped.
const hasNvidia = existsSync('/dev/nvidiactl');
const hasVulkan = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib64/libvulkan.so.1'].some(existsSync);

describe('--device', () => {
  it('parses cpu, cuda and webgpu; anything else is a one-line DeviceError', () => {
    expect(parseDevice(undefined)).toBe('cpu');
    expect(parseDevice('cuda')).toBe('cuda');
    expect(() => parseDevice('tpu')).toThrow(
      new DeviceError('--device must be cpu, cuda, webgpu, got "tpu"'),
    );
  });

  it('cpu needs nothing and runs as before', async () => {
    await requireDevice('cpu');
    expect(new OrtBackend({ device: 'cpu', threads: 1 }).device).toBe('cpu');
  });

  it.skipIf(hasNvidia)('cuda is refused when the backend is made, naming the provider and CUDA', () => {
    const e = (() => {
      try {
        new OrtBackend({ device: 'cuda' });
      } catch (err) {
        return err as Error;
      }
    })();
    expect(e).toBeInstanceOf(DeviceError);
    expect(e!.message).toMatch(
      /^--device cuda: .*CUDA 12 and cuDNN 9.*ONNXRUNTIME_NODE_INSTALL=cuda12.*--device cpu$/,
    );
  });

  it('webgpu without a GPU adapter is refused in one line (with no Vulkan loader, before any session)', async () => {
    const e = await requireDevice('webgpu').then(
      () => null, // a real GPU adapter: nothing to refuse
      (err: Error) => err,
    );
    if (e === null) return;
    expect(e).toBeInstanceOf(DeviceError);
    expect(e.message).toMatch(
      hasVulkan
        ? /^--device webgpu: onnxruntime-node could not start its webgpu provider \(.+\): .*--device cpu$/
        : /^--device webgpu: no Vulkan loader here .*--device cpu$/,
    );
    // The CLI: Dawn's and Mesa's own warnings stay in the probe's child process.
    const r = await vae([
      'train',
      '--device',
      'webgpu',
      '--out',
      `/tmp/vae-webgpu-${process.pid}`,
      '--quiet',
    ]);
    expect(r.stderr).toBe(`vae: ${e.message}\n`);
  });

  it.skipIf(hasNvidia)(
    'vae train/eval/export --device cuda: exit 1, one line, before anything is written',
    async () => {
      const dir = `/tmp/vae-device-${process.pid}`;
      for (const args of [
        ['train', '--dataset', 'mnist-default', '--epochs', '1', '--out', dir, '--device', 'cuda', '--quiet'],
        ['eval', '--run', dir, '--device', 'cuda', '--quiet'],
        ['export', '--run', dir, '--device', 'cuda', '--quiet'],
      ]) {
        const r = await vae(args);
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(
          /^vae: --device cuda: onnxruntime-node's CUDA provider is not installed .*\n$/,
        );
        expect(r.stderr.trim()).not.toContain('\n');
      }
      expect(existsSync(dir)).toBe(false);
      const bad = await vae(['train', '--device', 'gpu', '--out', dir, '--quiet']);
      expect(bad.stderr).toBe('vae: --device must be cpu, cuda, webgpu, got "gpu"\n');
    },
  );
});
