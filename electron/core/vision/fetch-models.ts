import crypto from 'node:crypto';
import path from 'node:path';
import { userModelsDir } from '../util/paths';
import { UserError } from '../util/errors';
import { writeFileAtomicallySync } from '../util/atomic-write';
import { listManifests, type ModelManifest } from './manifest';
import { locateWeights } from './weights';

export interface FetchResult {
  id: string;
  file: string;
  status: 'present' | 'downloaded';
}

/**
 * Downloads a manifest's weights from its origin URL into `dest` (default: the user's model
 * folder), verifying the sha256 before the file takes its final name. Offline, it fails with
 * the exact place to put the file by hand.
 */
export async function fetchModel(manifest: ModelManifest, opts: { modelsDir?: string; dest?: string; fetchImpl?: typeof fetch } = {}): Promise<FetchResult> {
  try {
    return { id: manifest.id, file: locateWeights(manifest, opts.modelsDir), status: 'present' };
  } catch (e) {
    if ((e as UserError).code !== 'no-weights') throw e;
  }
  const dest = opts.dest ?? opts.modelsDir ?? userModelsDir();
  const target = path.join(dest, manifest.file);
  const byHand = `download ${manifest.url ?? '(the manifest names no URL)'} yourself and put it at ${target}`;
  if (!manifest.url) throw new UserError(`model '${manifest.id}' has no origin URL: ${byHand}`, 'no-weights');
  let body: Uint8Array;
  try {
    const res = await (opts.fetchImpl ?? fetch)(manifest.url, { redirect: 'follow' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new UserError(`could not download model '${manifest.id}' (${(e as Error).message}): ${byHand}`, 'offline');
  }
  const sha = crypto.createHash('sha256').update(body).digest('hex');
  if (sha !== manifest.sha256) {
    throw new UserError(`the download of model '${manifest.id}' from ${manifest.url} has sha256 ${sha}, expected ${manifest.sha256}; nothing was saved. Or ${byHand}`, 'bad-checksum');
  }
  writeFileAtomicallySync(target, body);
  return { id: manifest.id, file: target, status: 'downloaded' };
}

export async function fetchModels(opts: { modelsDir?: string; ids?: string[]; fetchImpl?: typeof fetch } = {}): Promise<FetchResult[]> {
  const all = listManifests(opts.modelsDir).map((m) => m.manifest);
  const wanted = opts.ids?.length ? all.filter((m) => opts.ids!.includes(m.id)) : all;
  for (const id of opts.ids ?? []) if (!all.some((m) => m.id === id)) throw new UserError(`no model manifest with id '${id}'`, 'no-model');
  const out: FetchResult[] = [];
  for (const m of wanted) out.push(await fetchModel(m, opts));
  return out;
}
