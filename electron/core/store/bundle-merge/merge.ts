import type { MergeResult } from '../../../contract';
import type { SqliteDb } from '../sqlite';
import { newMergeContext, type MergeContext } from './context';
import { mergeIndividuals } from './individuals';
import { mergeAnnotations, mergeDecisions, mergeEncounters, mergeIndividualLinks, mergeModels, mergePhotos, mergeSettings, mergeVectors } from './rows';

export interface MergeRowsOptions {
  /** The bundle file, recorded as the merge's source. */
  source: string;
  /** The name of the catalog the bundle came from. */
  sourceName: string;
  jobId: number | null;
  /** Photo sha256 -> where its file was staged inside the files folder. */
  staged: Map<string, string>;
  /** Whether a photo row this catalog holds has lost its file. */
  lost(photo: { path: string; copied: number }): boolean;
  /** Last, still inside the transaction: a failure here rolls the rows back. */
  beforeCommit(): void;
}

/** Merges the rows of a bundle's database `s` into the catalog `t`, in one transaction. */
export function mergeRows(t: SqliteDb, s: SqliteDb, o: MergeRowsOptions): MergeResult {
  return t.transaction(() => {
    const maxBefore = (t.prepare('SELECT COALESCE(MAX(id), 0) FROM individuals').pluck().get() as number) ?? 0;
    const mergeId = Number(t.prepare("INSERT INTO merges (source, kind, source_catalog, job_id) VALUES (?, 'bundle', ?, ?)").run(o.source, o.sourceName, o.jobId).lastInsertRowid);
    const ctx: MergeContext = newMergeContext(t, s, mergeId);
    mergeSettings(ctx);
    mergeModels(ctx);
    mergeIndividuals(ctx);
    mergeEncounters(ctx);
    mergePhotos(ctx, o.staged, (ph) => o.lost(ph as { path: string; copied: number }));
    mergeAnnotations(ctx);
    mergeVectors(ctx);
    mergeDecisions(ctx);
    mergeIndividualLinks(ctx, new Set([...ctx.individuals.values()].filter((id) => id > maxBefore)));
    const map = t.prepare('INSERT INTO merge_ids (merge_id, kind, source_id, target_id) VALUES (?, ?, ?, ?)');
    for (const [kind, m] of [['individual', ctx.individuals], ['annotation', ctx.annotations], ['photo', ctx.photos], ['encounter', ctx.encounters]] as const) {
      for (const [from, to] of m) map.run(mergeId, kind, from, to);
    }
    const result: MergeResult = { mergeId, source: o.source, added: ctx.added, duplicate: ctx.duplicate, conflicts: ctx.conflicts };
    t.prepare('UPDATE merges SET counts = ? WHERE id = ?').run(JSON.stringify({ added: ctx.added, duplicate: ctx.duplicate, conflicts: ctx.conflicts }), mergeId);
    o.beforeCommit();
    return result;
  })();
}
