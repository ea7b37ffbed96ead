import { UserError } from '../util/errors';
import { deviceSettings, ortBinDir, usableProviders, type DeviceSetting, type OrtBackend } from './execution-providers';

/**
 * What the user may ask for (`--device`, the `device` setting): the values of
 * execution-providers.ts, which also knows what each platform's onnxruntime build ships.
 * 'gpu' is 'auto' that says so when no GPU provider exists; 'webgpu' is opt-in (experimental).
 */
export type Device = DeviceSetting;
export type Provider = 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';
export const devices: readonly Device[] = deviceSettings;
/** Automatic choice tries these in order; CPU always works. */
export const autoOrder: readonly Provider[] = ['cuda', 'dml', 'coreml', 'cpu'];
const known: readonly Provider[] = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'];

export function parseDevice(value: unknown, field = '--device'): Device {
  if (typeof value === 'string' && (devices as readonly string[]).includes(value)) return value as Device;
  throw new UserError(`${field} must be one of ${devices.join(', ')}; got '${String(value)}'`, 'usage');
}

/** What this onnxruntime build can load here: bundled providers, and fetched ones whose libraries are installed. */
export function detectUsable(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as { listSupportedBackends?: () => OrtBackend[] };
  return usableProviders(ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }], ortBinDir());
}

/** The providers Caudal can try, best first, from onnxruntime's usable list (CPU always). */
export function availableProviders(usable: string[] = detectUsable()): Provider[] {
  return known.filter((p) => p === 'cpu' || usable.includes(p));
}

export interface ProviderPlan {
  /** Providers to try, in order; the last is always cpu. */
  tries: Provider[];
  /** Said before trying (e.g. a forced provider this build lacks). */
  warnings: string[];
}

export function planProviders(device: Device, available: Provider[]): ProviderPlan {
  if (device === 'auto' || device === 'gpu') {
    const tries = autoOrder.filter((p) => available.includes(p));
    const warnings = device === 'gpu' && tries.length === 1 ? [`device 'gpu': no GPU provider is available in this build or on this machine; running on CPU`] : [];
    return { tries, warnings };
  }
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
