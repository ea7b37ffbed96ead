import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { userDataDir } from '../util/paths';
import { writeFileAtomicallySync } from '../util/atomic-write';
import { UserError } from '../util/errors';
import type { ModelManifest } from './manifest';
import { modelDirs } from './model-dirs';

interface CacheEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
}

const cacheFile = (): string => path.join(userDataDir(), 'model-checksums.json');

function readCache(): Record<string, CacheEntry> {
  try {
    return JSON.parse(fs.readFileSync(cacheFile(), 'utf8'));
  } catch {
    return {};
  }
}

function writeCache(cache: Record<string, CacheEntry>): void {
  try {
    writeFileAtomicallySync(cacheFile(), JSON.stringify(cache, null, 1));
  } catch {
    // a read-only profile only costs a re-hash next time
  }
}

export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * The file's sha256, hashed once per (path, size, mtime): a 100 MB backbone is not re-read on
 * every run, and any rewrite of the file changes its mtime and forces a fresh hash.
 */
export function cachedSha256(file: string): string {
  const abs = path.resolve(file);
  const st = fs.statSync(abs);
  const cache = readCache();
  const hit = cache[abs];
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.sha256;
  const sha256 = sha256File(abs);
  cache[abs] = { size: st.size, mtimeMs: st.mtimeMs, sha256 };
  writeCache(cache);
  return sha256;
}

export function checkWeights(manifest: ModelManifest, file: string): void {
  const actual = cachedSha256(file);
  if (actual !== manifest.sha256) {
    throw new UserError(
      `${file} is not the model '${manifest.id}': its sha256 is ${actual}, the manifest expects ${manifest.sha256}. ` +
        `Replace it with the file from ${manifest.url ?? 'its origin'} (or run \`npm run models:fetch\`).`,
      'bad-checksum',
    );
  }
}

/** Where to put a model file by hand, for messages. */
export function whereToPut(manifest: ModelManifest, modelsDir?: string): string {
  return modelDirs(modelsDir)
    .map((d) => path.join(d, manifest.file))
    .join(' or ');
}

/**
 * The verified weights file of a manifest: the first copy found in --models / CAUDAL_MODELS_DIR,
 * the user's model folder, then ../shared/models. A copy with the wrong checksum is refused
 * rather than skipped, so a corrupt download is noticed instead of silently shadowed.
 */
export function locateWeights(manifest: ModelManifest, modelsDir?: string): string {
  for (const dir of modelDirs(modelsDir)) {
    const file = path.join(dir, manifest.file);
    if (!fs.existsSync(file)) continue;
    checkWeights(manifest, file);
    return file;
  }
  throw new UserError(
    `the weights of model '${manifest.id}' (${manifest.file}) are not installed. Run \`npm run models:fetch\` ` +
      `(needs internet), or download ${manifest.url ?? manifest.file} and put it at ${whereToPut(manifest, modelsDir)}.`,
    'no-weights',
  );
}
