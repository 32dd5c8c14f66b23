import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '@vae/core';

/**
 * Where onnxruntime-node runs the graphs: its CPU provider, NVIDIA GPUs through the CUDA provider,
 * or any GPU through its WebGPU provider (Dawn; Vulkan on Linux). The step graphs are the same ONNX
 * files on each; only the execution provider differs.
 */
export type Device = 'cpu' | 'cuda' | 'webgpu';

export const DEVICES: readonly Device[] = ['cpu', 'cuda', 'webgpu'];

/** The device asked for cannot run here; the message says what to install or to use `--device cpu`. */
export class DeviceError extends UserError {
  override name = 'DeviceError';
}

/** `--device`: one of {@link DEVICES}; absent: cpu. */
export function parseDevice(v: unknown): Device {
  if (v === undefined) return 'cpu';
  if (typeof v === 'string' && (DEVICES as readonly string[]).includes(v)) return v as Device;
  throw new DeviceError(`--device must be ${DEVICES.join(', ')}, got ${JSON.stringify(v)}`);
}

/** The folder of onnxruntime-node's native binding, where its optional provider libraries go. */
function ortBinDir(): string {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
}

/** Whether a shared library is in the loader's search path (LD_LIBRARY_PATH, then the usual folders). */
function findLibrary(name: string): boolean {
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    `/usr/lib/${process.arch === 'x64' ? 'x86_64' : 'aarch64'}-linux-gnu`,
    `/lib/${process.arch === 'x64' ? 'x86_64' : 'aarch64'}-linux-gnu`,
    '/usr/lib64',
    '/usr/lib',
    '/lib',
    '/usr/local/lib',
  ];
  return dirs.some((d) => existsSync(join(d, name)));
}

/** The one-line fix for a missing CUDA provider (onnxruntime-node downloads it from NuGet, not npm). */
const CUDA_HOWTO =
  'install the NVIDIA driver, CUDA 12 and cuDNN 9, then fetch the provider with `ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js` (it downloads from NuGet, outside npm); or use --device cpu';
const WEBGPU_HOWTO =
  "onnxruntime-node's WebGPU provider needs a GPU adapter: on Linux a Vulkan driver (libvulkan1 plus the GPU's ICD, e.g. mesa-vulkan-drivers or the NVIDIA driver); or use --device cpu";

/**
 * Fails at once, before any data is read, when the device's provider cannot be there: CUDA needs
 * onnxruntime-node's provider libraries (not installed by default: its install script downloads
 * them from outside npm, which this project skips) and an NVIDIA driver. WebGPU's provider is
 * bundled; whether a GPU adapter exists shows only when a session is made ({@link deviceFailure}).
 */
export function checkDevice(device: Device): void {
  // Dawn loads Vulkan itself and prints its own complaint when it cannot: check first, quietly.
  if (device === 'webgpu' && process.platform === 'linux' && !findLibrary('libvulkan.so.1'))
    throw new DeviceError(
      `--device webgpu: no Vulkan loader here (libvulkan.so.1 not found): ${WEBGPU_HOWTO}`,
    );
  if (device !== 'cuda') return;
  const dir = ortBinDir();
  const missing = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'].filter(
    (f) => !existsSync(join(dir, f)),
  );
  if (process.platform === 'linux' && missing.length > 0)
    throw new DeviceError(
      `--device cuda: onnxruntime-node's CUDA provider is not installed (${missing.join(', ')} missing in ${dir}): ${CUDA_HOWTO}`,
    );
  if (process.platform === 'linux' && !existsSync('/dev/nvidiactl'))
    throw new DeviceError(
      `--device cuda: no NVIDIA GPU driver here (/dev/nvidiactl is missing): ${CUDA_HOWTO}`,
    );
}

/** A session the device could not make, as the one-line error a user can act on. */
export function deviceFailure(device: Device, e: unknown): DeviceError {
  const why = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
  const adapter = /adapter/i.test(why) ? 'no GPU adapter was found' : why.slice(0, 200);
  return new DeviceError(
    `--device ${device}: onnxruntime-node could not start its ${device} provider (${adapter}): ${device === 'cuda' ? CUDA_HOWTO : WEBGPU_HOWTO}`,
    { cause: e },
  );
}

/**
 * Creates (and releases) a session for `onnx` on `device` in a child process; resolves null when
 * that worked, else the error message (the child's native stderr chatter is dropped).
 */
export function probeDevice(device: Device, onnx: Uint8Array): Promise<string | null> {
  const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
  const script = `const ort = require(${JSON.stringify(ortPath)});
ort.InferenceSession.create(Buffer.from(process.argv[1], 'base64'), { executionProviders: [process.argv[2]], logSeverityLevel: 4 })
  .then((s) => s.release()).then(() => process.exit(0), (e) => { process.stdout.write(String(e && e.message || e)); process.exit(1); });`;
  const args = ['-e', script, Buffer.from(onnx).toString('base64'), device];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 60_000 }, (err, stdout) => {
      resolve(err ? stdout.trim() || err.message : null);
    });
  });
}
