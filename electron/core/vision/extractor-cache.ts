import type { ModelManifest } from './manifest';
import { FeatureExtractor, type ExtractorOptions } from './extractor';
import { availableProviders, planProviders, type Device, type Provider } from './providers';

/**
 * Sessions stay open between jobs and single-photo embeds (opening one costs a graph edit and
 * an optimisation pass). The last provider actually used is kept for the status display.
 */
const open = new Map<string, Promise<FeatureExtractor>>();
let last: { provider: Provider; warnings: string[]; backbone: string } | null = null;

export async function getExtractor(manifest: ModelManifest, opts: ExtractorOptions = {}): Promise<FeatureExtractor> {
  const key = `${manifest.id}\0${manifest.sha256}\0${opts.device ?? 'auto'}\0${opts.modelsDir ?? ''}`;
  let p = open.get(key);
  if (!p) {
    p = FeatureExtractor.open(manifest, opts);
    open.set(key, p);
    p.catch(() => open.delete(key));
  }
  const ex = await p;
  last = { provider: ex.provider, warnings: ex.warnings, backbone: manifest.id };
  return ex;
}

export function lastProvider(): typeof last {
  return last;
}

/** The provider a run would start on, before any session exists. */
export function plannedProvider(device: Device): Provider {
  return planProviders(device, availableProviders()).tries[0];
}

export async function closeExtractors(): Promise<void> {
  const all = [...open.values()];
  open.clear();
  await Promise.all(all.map(async (p) => (await p.catch(() => null))?.release()));
}
