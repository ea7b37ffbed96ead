import fs from 'node:fs';
import path from 'node:path';
import type { MergeResult } from '../../contract';
import type { Catalog } from '../store/catalog';
import { breathe, type Progress } from '../export/progress';
import { UserError } from '../util/errors';
import { openBundle, type OpenedBundle } from './open-bundle';
import type { BundleLimits } from './bundle-zip';
import { StagedFiles } from './staged-files';

/** A copied photo keeps its relative place when it is a plain path under media/; anything else gets the sha256 layout. */
const SAFE_MEDIA = /^media\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+$/;
const THUMB = /^thumbs\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z]+\.jpg$/;

/**
 * Extracts the files of photos this catalog does not hold yet (or holds but lost) into the
 * staging folder, each checked against the sha256 the photo row claims before it gets a name.
 */
async function stageMedia(target: Catalog, b: OpenedBundle, p: Progress, stage: StagedFiles): Promise<Map<string, string>> {
  const staged = new Map<string, string>();
  const photos = b.source.store.photos.media();
  // New photos, and photos this catalog lost (missing on disk) that the bundle carries.
  const wanted = (sha: string) => {
    const l = target.store.photos.byHash(sha);
    return !l || l.missing === 1 || !fs.existsSync(l.copied ? path.join(target.filesDir, l.path) : l.path);
  };
  const media = b.manifest.media;
  const todo = photos.filter((ph) => /^[0-9a-f]{64}$/.test(ph.sha256) && typeof media[ph.sha256] === 'string' && b.zip.has(media[ph.sha256]) && wanted(ph.sha256));
  const places = new Set<string>();
  let i = 0;
  for (const ph of todo) {
    const entry = media[ph.sha256];
    const ext = path.extname(entry).toLowerCase().replace(/[^a-z0-9.]/g, '');
    const fallback = `media/${ph.sha256.slice(0, 2)}/${ph.sha256}${ext}`;
    const own = typeof ph.path === 'string' ? ph.path.replace(/\\/g, '/') : '';
    let rel = ph.copied && SAFE_MEDIA.test(own) ? own : fallback;
    if (rel !== fallback && (places.has(rel.toLowerCase()) || fs.existsSync(path.join(target.filesDir, rel)))) rel = fallback;
    places.add(rel.toLowerCase());
    if (!fs.existsSync(path.join(target.filesDir, rel))) await b.zip.extractTo(entry, stage.stage(rel), { sha256: ph.sha256, what: `the photo ${ph.sha256.slice(0, 12)}...` });
    staged.set(ph.sha256, rel);
    p.throwIfCancelled();
    p.progress(++i, todo.length, 'copying photos');
    if (i % 10 === 0) await breathe();
  }
  return staged;
}

/**
 * Thumbnails (a cache) and trained artefacts, each checked against the sha256 the manifest lists
 * for it. A thumbnail the manifest does not vouch for (a bundle from before the list) is left
 * out and made again when shown; so is one this catalog already has.
 */
async function stageExtras(target: Catalog, b: OpenedBundle, stage: StagedFiles): Promise<void> {
  const listed = b.manifest.files;
  for (const name of b.zip.entries.keys()) {
    const model = name.startsWith('files/models/');
    if (!model && !(b.manifest.thumbnails && THUMB.test(name))) continue;
    const rel = model ? name.slice('files/'.length) : name;
    if (fs.existsSync(path.join(target.filesDir, rel))) continue;
    const sha = listed?.[name];
    if (typeof sha === 'string') await b.zip.extractTo(name, stage.stage(rel), { sha256: sha, what: 'the file' });
    else if (model && !listed) await b.zip.extractTo(name, stage.stage(rel));
  }
}

/**
 * Merges a bundle into the catalog in one transaction: everything or nothing. Photos match by
 * sha256, individuals by code (see merge-individuals.ts), annotations by creation time or box
 * overlap; new rows are added, identities that disagree become conflicts for a person, nothing
 * here is overwritten and both decision logs are kept.
 */
export async function mergeBundle(target: Catalog, file: string, p: Progress, jobId: number | null = null, limits: Partial<BundleLimits> = {}): Promise<MergeResult> {
  p.progress(0, null, 'checking the bundle');
  const b = await openBundle(path.resolve(file), limits);
  let stage: StagedFiles | undefined;
  try {
    stage = new StagedFiles(target.filesDir);
    const staged = await stageMedia(target, b, p, stage);
    await stageExtras(target, b, stage);
    p.progress(0, null, 'merging rows');
    const run = () =>
      target.store.bundles.mergeFrom(b.source.store.bundles, {
        source: path.resolve(file),
        sourceName: b.manifest.sourceName,
        jobId,
        staged,
        lost: (ph) => !ph.copied && !fs.existsSync(ph.path),
        // Last, still inside the transaction: a file that cannot be placed rolls the rows back.
        beforeCommit: () => stage!.place(),
      });
    let result: MergeResult;
    try {
      result = run();
    } catch (e) {
      stage.undo();
      throw new UserError(`merging ${file} failed and was rolled back; the catalog was not changed (${(e as Error).message})`, 'merge-failed');
    }
    return result;
  } finally {
    stage?.discard();
    b.close();
  }
}
