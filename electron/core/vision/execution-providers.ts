import fs from 'node:fs';
import path from 'node:path';
import { deviceChoices, type DeviceChoice } from '../../contract';

/**
 * Which onnxruntime execution providers to ask for. What onnxruntime-node 1.30's npm package ships:
 *   Linux x64     cpu (bundled); cuda + tensorrt when the install script fetched their provider
 *                 libraries (not bundled; needs CUDA 12 + cuDNN 9 on the system); webgpu (experimental)
 *   Windows       cpu, dml (DirectML.dll bundled; any DirectX 12 GPU), webgpu (experimental)
 *   macOS arm64   cpu, coreml (bundled); there is no macOS x64 binary in 1.30
 * There is no CUDA build for Windows in the npm package: Windows GPUs (NVIDIA included) go through DirectML.
 */
export type DeviceSetting = DeviceChoice;
export const deviceSettings: readonly DeviceSetting[] = deviceChoices.map((d) => d.value);

export interface OrtBackend {
  name: string;
  bundled: boolean;
}

/** GPU providers tried by `auto`/`gpu`, per platform, best first. WebGPU is opt-in (experimental). */
const gpuPreference: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['cuda'],
  win32: ['dml'],
  darwin: ['coreml'],
};

const providerLibs: Record<string, (platform: NodeJS.Platform) => string[]> = {
  cuda: (p) => (p === 'win32' ? ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll'] : ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so']),
  tensorrt: (p) => (p === 'win32' ? ['onnxruntime_providers_tensorrt.dll'] : ['libonnxruntime_providers_tensorrt.so']),
};

/** onnxruntime-node's native folder for this platform (inside app.asar.unpacked when packaged). */
export function ortBinDir(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const pkg = require.resolve('onnxruntime-node/package.json').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  return path.join(path.dirname(pkg), 'bin', 'napi-v6', platform, arch);
}

/** Providers this build can load: bundled ones, plus fetched ones whose libraries are present. */
export function usableProviders(backends: OrtBackend[], binDir: string, platform: NodeJS.Platform = process.platform): string[] {
  return backends
    .filter((b) => b.bundled || (providerLibs[b.name]?.(platform) ?? [null]).every((lib) => lib !== null && fs.existsSync(path.join(binDir, lib))))
    .map((b) => b.name);
}

/**
 * The provider list for a session: the asked-for (or preferred) GPU provider when usable, always
 * ending in 'cpu' so onnxruntime can place unsupported ops (and run at all) on the CPU.
 */
export function chooseProviders(device: DeviceSetting, usable: string[], platform: NodeJS.Platform = process.platform): string[] {
  let wanted: string[];
  if (device === 'cpu') wanted = [];
  else if (device === 'auto' || device === 'gpu') wanted = gpuPreference[platform] ?? [];
  else wanted = [device];
  return [...wanted.filter((p) => p !== 'cpu' && usable.includes(p)), 'cpu'];
}

/**
 * Creates a session with the chosen providers; if a GPU provider fails at load (driver or CUDA
 * libraries missing, unsupported model), retries on the CPU and says so instead of failing.
 */
export async function withProviderFallback<S>(
  providers: string[],
  create: (providers: string[]) => Promise<S>,
): Promise<{ session: S; providers: string[]; fallbackReason?: string }> {
  if (providers.length === 1 && providers[0] === 'cpu') return { session: await create(providers), providers };
  try {
    return { session: await create(providers), providers };
  } catch (e) {
    const session = await create(['cpu']);
    return { session, providers: ['cpu'], fallbackReason: `${providers.filter((p) => p !== 'cpu').join(', ')} failed: ${(e as Error).message}` };
  }
}
