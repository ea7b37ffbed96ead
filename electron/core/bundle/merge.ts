import fs from 'node:fs';
import path from 'node:path';
import type { MergeResult } from '../../contract';
import type { Catalog } from '../catalog/catalog';
import { breathe, type Progress } from '../export/progress';
import { UserError } from '../util/errors';
import { openBundle, type OpenedBundle } from './open-bundle';
import { newMergeContext, type MergeContext } from './merge-types';
import { mergeIndividuals } from './merge-individuals';
import { mergeAnnotations, mergeDecisions, mergeEncounters, mergeIndividualLinks, mergeModels, mergePhotos, mergeSettings, mergeVectors } from './merge-rows';

/**
 * Places the files of photos this catalog does not hold yet (or holds but lost), before the transaction (file
 * copies cannot roll back; the caller deletes `created` if the transaction fails). A copied
 * photo keeps its relative path when that place is free here.
 */
async function stageMedia(target: Catalog, b: OpenedBundle, p: Progress, created: string[]): Promise<Map<string, string>> {
  const staged = new Map<string, string>();
  const photos = b.source.db.prepare('SELECT sha256, path, copied FROM photos').all() as Array<{ sha256: string; path: string; copied: number }>;
  const local = target.db.prepare('SELECT path, copied, missing FROM photos WHERE sha256 = ?');
  // New photos, and photos this catalog lost (missing on disk) that the bundle carries.
  const wanted = (sha: string) => {
    const l = local.get(sha) as { path: string; copied: number; missing: number } | undefined;
    return !l || l.missing === 1 || !fs.existsSync(l.copied ? path.join(target.filesDir, l.path) : l.path);
  };
  const todo = photos.filter((ph) => /^[0-9a-f]{64}$/.test(ph.sha256) && b.manifest.media[ph.sha256] && b.zip.has(b.manifest.media[ph.sha256]) && wanted(ph.sha256));
  let i = 0;
  for (const ph of todo) {
    const entry = b.manifest.media[ph.sha256];
    const ext = path.extname(entry).toLowerCase();
    const fallback = `media/${ph.sha256.slice(0, 2)}/${ph.sha256}${ext}`;
    const safeRel = ph.copied && !path.isAbsolute(ph.path) && !ph.path.split(/[\\/]/).includes('..') ? ph.path : fallback;
    let rel = safeRel;
    if (fs.existsSync(path.join(target.filesDir, rel)) && rel !== fallback) rel = fallback;
    const dest = path.join(target.filesDir, rel);
    if (!fs.existsSync(dest)) {
      b.zip.extractTo(entry, dest);
      created.push(dest);
    }
    staged.set(ph.sha256, rel.split(path.sep).join('/'));
    p.throwIfCancelled();
    p.progress(++i, todo.length, 'copying photos');
    if (i % 10 === 0) await breathe();
  }
  return staged;
}

/** Thumbnails are a cache: restored after the merge when the bundle carries them, never required. */
function restoreThumbnails(target: Catalog, b: OpenedBundle): void {
  for (const name of b.zip.entries.keys()) {
    if (!name.startsWith('thumbs/') || name.includes('..')) continue;
    const dest = path.join(target.filesDir, name);
    if (!fs.existsSync(dest)) b.zip.extractTo(name, dest);
  }
}

function restoreModelFiles(target: Catalog, b: OpenedBundle): void {
  for (const name of b.zip.entries.keys()) {
    if (!name.startsWith('files/models/') || name.includes('..')) continue;
    const dest = path.join(target.filesDir, name.slice('files/'.length));
    if (!fs.existsSync(dest)) b.zip.extractTo(name, dest);
  }
}

/**
 * Merges a bundle into the catalog in one transaction: everything or nothing. Photos match by
 * sha256, individuals by code (see merge-individuals.ts), annotations by creation time or box
 * overlap; new rows are added, identities that disagree become conflicts for a person, nothing
 * here is overwritten and both decision logs are kept.
 */
export async function mergeBundle(target: Catalog, file: string, p: Progress, jobId: number | null = null): Promise<MergeResult> {
  p.progress(0, null, 'checking the bundle');
  const b = openBundle(path.resolve(file));
  const created: string[] = [];
  try {
    const staged = await stageMedia(target, b, p, created);
    p.progress(0, null, 'merging rows');
    const t = target.db;
    const run = t.transaction(() => {
      const maxBefore = (t.prepare('SELECT COALESCE(MAX(id), 0) FROM individuals').pluck().get() as number) ?? 0;
      const mergeId = Number(
        t.prepare("INSERT INTO merges (source, kind, source_catalog, job_id) VALUES (?, 'bundle', ?, ?)").run(path.resolve(file), b.manifest.sourceName, jobId).lastInsertRowid,
      );
      const ctx: MergeContext = newMergeContext(t, b.source.db, mergeId);
      mergeSettings(ctx);
      mergeModels(ctx);
      mergeIndividuals(ctx);
      mergeEncounters(ctx);
      mergePhotos(ctx, staged, (ph) => !ph.copied && !fs.existsSync(ph.path));
      mergeAnnotations(ctx);
      mergeVectors(ctx);
      mergeDecisions(ctx);
      mergeIndividualLinks(ctx, new Set([...ctx.individuals.values()].filter((id) => id > maxBefore)));
      const map = t.prepare('INSERT INTO merge_ids (merge_id, kind, source_id, target_id) VALUES (?, ?, ?, ?)');
      for (const [kind, m] of [['individual', ctx.individuals], ['annotation', ctx.annotations], ['photo', ctx.photos], ['encounter', ctx.encounters]] as const) {
        for (const [from, to] of m) map.run(mergeId, kind, from, to);
      }
      const result: MergeResult = { mergeId, source: path.resolve(file), added: ctx.added, duplicate: ctx.duplicate, conflicts: ctx.conflicts };
      t.prepare('UPDATE merges SET counts = ? WHERE id = ?').run(JSON.stringify({ added: ctx.added, duplicate: ctx.duplicate, conflicts: ctx.conflicts }), mergeId);
      return result;
    });
    let result: MergeResult;
    try {
      result = run();
    } catch (e) {
      for (const f of created) fs.rmSync(f, { force: true });
      throw new UserError(`merging ${file} failed and was rolled back; the catalog was not changed (${(e as Error).message})`, 'merge-failed');
    }
    restoreModelFiles(target, b);
    if (b.manifest.thumbnails) restoreThumbnails(target, b);
    return result;
  } catch (e) {
    for (const f of created) fs.rmSync(f, { force: true });
    throw e;
  } finally {
    b.close();
  }
}
