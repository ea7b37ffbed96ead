import path from 'node:path';
import type { MergeResult } from '../../../contract';
import type { SqliteDb } from '../sqlite';
import { addConflict, newMergeContext, type MergeContext } from './context';
import { finalIndividual } from './rows';

/** One identity claim: "this photo (region) shows individual `code`". */
export interface IdentityClaim {
  line: number;
  code: string;
  name: string | null;
  sha256: string | null;
  /** Wildbook media file name (ours end in the sha256's first 8 hex digits). */
  fileName: string | null;
  box: { x: number; y: number; w: number; h: number } | null;
  reviewer: string | null;
  at: string | null;
}

interface PhotoRow {
  id: number;
  sha256: string;
  width: number;
  height: number;
  original_name: string;
}

function findPhoto(db: SqliteDb, c: IdentityClaim): PhotoRow | undefined {
  if (c.sha256) return db.prepare('SELECT id, sha256, width, height, original_name FROM photos WHERE sha256 = ?').get(c.sha256) as PhotoRow | undefined;
  if (!c.fileName) return undefined;
  // Our own Wildbook export names files '<name> <sha8>.<ext>'.
  const tag = /\s([0-9a-f]{8})\.[A-Za-z0-9]+$/.exec(c.fileName)?.[1];
  if (tag) {
    const hits = db.prepare("SELECT id, sha256, width, height, original_name FROM photos WHERE sha256 LIKE ? || '%'").all(tag) as PhotoRow[];
    if (hits.length === 1) return hits[0];
  }
  const byName = db.prepare('SELECT id, sha256, width, height, original_name FROM photos WHERE original_name = ?').all(c.fileName) as PhotoRow[];
  return byName.length === 1 ? byName[0] : undefined;
}

export interface ClaimOptions {
  /** The claims file, recorded as the merge's source. */
  file: string;
  kind: 'sightings-csv' | 'wildbook';
  jobId: number | null;
  /** Who a claim without a reviewer is stamped with. */
  reviewer: string | null;
  /** The body part of a whole-photo annotation made for a claim. */
  bodyPart: string;
  /** The time of a claim without one. */
  now(): string;
}

/**
 * Applies identity claims in one transaction. A claim on an unidentified annotation identifies
 * it (logged as a 'confirm' decision with the file as source); one that agrees is a duplicate;
 * one that disagrees is an 'annotation' conflict; a photo without any box gets a whole-photo
 * annotation; a photo this catalog lacks is counted as unmatched.
 */
export function applyClaims(db: SqliteDb, claims: IdentityClaim[], o: ClaimOptions): MergeResult {
  const { file, kind } = o;
  return db.transaction(() => {
    const mergeId = Number(db.prepare('INSERT INTO merges (source, kind, job_id) VALUES (?, ?, ?)').run(path.resolve(file), kind, o.jobId).lastInsertRowid);
    const ctx: MergeContext = newMergeContext(db, db, mergeId);
    let unmatched = 0;
    for (const c of claims) {
      const photo = findPhoto(db, c);
      if (!photo) {
        unmatched++;
        continue;
      }
      let ind = db.prepare('SELECT id FROM individuals WHERE code = ?').pluck().get(c.code) as number | undefined;
      if (ind === undefined) {
        ind = Number(db.prepare('INSERT INTO individuals (code, name) VALUES (?, ?)').run(c.code, c.name).lastInsertRowid);
        ctx.added.individuals++;
      }
      const anns = db.prepare('SELECT id, x, y, w, h, individual_id FROM annotations WHERE photo_id = ? ORDER BY id').all(photo.id) as Array<{ id: number; x: number; y: number; w: number; h: number; individual_id: number | null }>;
      let ann = c.box ? anns.find((a) => overlap(a, c.box!) >= 0.5) : anns.length === 1 ? anns[0] : anns.find((a) => a.individual_id !== null && finalIndividual(db, a.individual_id) === finalIndividual(db, ind!));
      if (!ann && anns.length === 0) {
        const box = c.box ?? { x: 0, y: 0, w: photo.width, h: photo.height };
        const id = Number(db.prepare('INSERT INTO annotations (photo_id, x, y, w, h, body_part) VALUES (?, ?, ?, ?, ?, ?)').run(photo.id, box.x, box.y, box.w, box.h, o.bodyPart).lastInsertRowid);
        ann = { id, ...box, individual_id: null };
        ctx.added.annotations++;
      }
      if (!ann) {
        unmatched++;
        continue;
      }
      const by = c.reviewer ?? o.reviewer;
      const at = c.at ?? o.now();
      if (ann.individual_id === null) {
        db.prepare('UPDATE annotations SET individual_id = ?, identified_by = ?, identified_at = ? WHERE id = ?').run(ind, by, at, ann.id);
        db.prepare("INSERT INTO decisions (annotation_id, individual_id, decision, reviewer, details) VALUES (?, ?, 'confirm', ?, ?)").run(ann.id, ind, by, JSON.stringify({ source: kind, file: path.basename(file), line: c.line }));
        ctx.added.decisions++;
      } else if (finalIndividual(db, ann.individual_id) === finalIndividual(db, ind)) {
        ctx.duplicate.annotations++;
      } else if (!db.prepare("SELECT 1 FROM merge_conflicts WHERE kind = 'annotation' AND annotation_id = ? AND incoming_individual_id = ? AND state = 'open'").get(ann.id, ind)) {
        addConflict(ctx, { kind: 'annotation', annotation_id: ann.id, local_individual_id: ann.individual_id, incoming_individual_id: ind, incoming_code: c.code, details: { file: path.basename(file), line: c.line } });
      }
    }
    const result: MergeResult = { mergeId, source: path.resolve(file), added: ctx.added, duplicate: ctx.duplicate, conflicts: ctx.conflicts, unmatched };
    db.prepare('UPDATE merges SET counts = ? WHERE id = ?').run(JSON.stringify(result), mergeId);
    return result;
  })();
}

function overlap(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (ix * iy) / (a.w * a.h + b.w * b.h - ix * iy);
}
