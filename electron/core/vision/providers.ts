import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors';

/** What the user may ask for (`--device`, the `device` setting). */
export type Device = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml';
export type Provider = Exclude<Device, 'auto'>;
export const devices: readonly Device[] = ['auto', 'cpu', 'cuda', 'dml', 'coreml'];
/** Automatic choice tries these in order; CPU always works. */
export const autoOrder: readonly Provider[] = ['cuda', 'dml', 'coreml', 'cpu'];

export interface BackendListing {
  name: string;
  bundled: boolean;
}

/** What this onnxruntime-node build lists, and whether a non-bundled provider's library is installed beside it. */
export interface ProviderEnvironment {
  listed: BackendListing[];
  libraryPresent(provider: Provider): boolean;
}

export function parseDevice(value: unknown, field = '--device'): Device {
  if (typeof value === 'string' && (devices as readonly string[]).includes(value)) return value as Device;
  throw new UserError(`${field} must be one of ${devices.join(', ')}; got '${String(value)}'`, 'usage');
}

const providerLibs: Partial<Record<Provider, string[]>> = {
  cuda: ['libonnxruntime_providers_cuda.so', 'onnxruntime_providers_cuda.dll'],
};

export function detectEnvironment(): ProviderEnvironment {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as { listSupportedBackends?: () => BackendListing[] };
  const listed = ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
  let binDir: string | undefined;
  try {
    const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
    binDir = path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    binDir = undefined;
  }
  return {
    listed,
    libraryPresent: (p) => Boolean(binDir && (providerLibs[p] ?? []).some((f) => fs.existsSync(path.join(binDir!, f)))),
  };
}

/** Providers that can be tried on this machine: CPU always; others when listed and bundled, or their library is installed. */
export function availableProviders(env: ProviderEnvironment = detectEnvironment()): Provider[] {
  const out = new Set<Provider>(['cpu']);
  for (const b of env.listed) {
    const p = b.name as Provider;
    if (p === 'cpu' || !autoOrder.includes(p)) continue;
    if (b.bundled || env.libraryPresent(p)) out.add(p);
  }
  return autoOrder.filter((p) => out.has(p));
}

export interface ProviderPlan {
  /** Providers to try, in order; the last is always cpu. */
  tries: Provider[];
  /** Said before trying (e.g. a forced provider this build lacks). */
  warnings: string[];
}

export function planProviders(device: Device, available: Provider[]): ProviderPlan {
  if (device === 'auto') return { tries: autoOrder.filter((p) => available.includes(p)), warnings: [] };
  if (device === 'cpu') return { tries: ['cpu'], warnings: [] };
  if (!available.includes(device)) {
    return { tries: ['cpu'], warnings: [`device '${device}' is not available in this build or on this machine (available: ${available.join(', ')}); running on CPU`] };
  }
  return { tries: [device, 'cpu'], warnings: [] };
}

export interface Chosen<S> {
  session: S;
  provider: Provider;
  warnings: string[];
}

/**
 * Creates a session on the first provider of the plan that works. A GPU provider that fails
 * (driver, memory, unsupported op) costs a warning and the next try, ending on CPU.
 * `create` is injected so the choice itself is testable on a CPU-only machine.
 */
export async function createWithFallback<S>(device: Device, create: (p: Provider) => Promise<S>, available: Provider[] = availableProviders()): Promise<Chosen<S>> {
  const plan = planProviders(device, available);
  const warnings = [...plan.warnings];
  for (const p of plan.tries) {
    try {
      const session = await create(p);
      return { session, provider: p, warnings };
    } catch (e) {
      if (p === 'cpu') throw e;
      warnings.push(`execution provider '${p}' failed (${(e as Error).message.split('\n')[0]}); falling back`);
    }
  }
  throw new Error('no execution provider could be tried'); // unreachable: plans end on cpu
}
