import type { ConflictResolution, MergeConflict } from '../../../contract';
import type { SqliteDb } from '../sqlite';
import { UserError } from '../../util/errors';

interface ConflictRow {
  id: number;
  merge_id: number;
  source: string;
  kind: MergeConflict['kind'];
  state: MergeConflict['state'];
  annotation_id: number | null;
  photo_id: number | null;
  photo_name: string | null;
  local_individual_id: number | null;
  local_code: string | null;
  incoming_individual_id: number | null;
  incoming_now: string | null;
  incoming_code: string | null;
  field: string | null;
  local_value: string | null;
  incoming_value: string | null;
  details: string;
  resolution: ConflictResolution | null;
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: string;
}

const SELECT = `SELECT c.*, m.source, a.photo_id, p.original_name AS photo_name,
    li.code AS local_code, ii.code AS incoming_now
  FROM merge_conflicts c JOIN merges m ON m.id = c.merge_id
  LEFT JOIN annotations a ON a.id = c.annotation_id LEFT JOIN photos p ON p.id = a.photo_id
  LEFT JOIN individuals li ON li.id = c.local_individual_id LEFT JOIN individuals ii ON ii.id = c.incoming_individual_id`;

function summary(r: ConflictRow): string {
  if (r.kind === 'annotation') return `Photo ${r.photo_name ?? r.photo_id} is identified as ${r.local_code} here and as ${r.incoming_code} in ${r.source}.`;
  if (r.kind === 'code') return `Code ${r.incoming_code} names an individual here and a separately created one in ${r.source}, with no photo in common; it was added as ${r.incoming_now}. Same animal?`;
  return `${r.local_code}: ${r.field} is '${r.local_value}' here and '${r.incoming_value}' in ${r.source}.`;
}

const toConflict = (r: ConflictRow): MergeConflict => ({
  id: r.id,
  mergeId: r.merge_id,
  source: r.source,
  kind: r.kind,
  state: r.state,
  annotationId: r.annotation_id,
  photoId: r.photo_id,
  local: { individualId: r.local_individual_id, code: r.local_code, value: r.local_value },
  incoming: { individualId: r.incoming_individual_id, code: r.incoming_now ?? r.incoming_code, value: r.incoming_value },
  field: r.field,
  summary: summary(r),
  details: JSON.parse(r.details),
  resolution: r.resolution,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at,
  createdAt: r.created_at,
});

export function listConflicts(db: SqliteDb, state: 'open' | 'resolved' | 'all'): MergeConflict[] {
  const rows = db.prepare(`${SELECT} WHERE ? = 'all' OR c.state = ? ORDER BY c.id`).all(state, state) as ConflictRow[];
  return rows.map(toConflict);
}

export function getConflict(db: SqliteDb, id: number): MergeConflict | undefined {
  const r = db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as ConflictRow | undefined;
  return r && toConflict(r);
}

/**
 * Applies a person's decision on a conflict (checked by the caller), stamped with `reviewer` and
 * `now`. Every change to an identification is logged in the decision log (with the conflict id
 * in details, so it can be traced and undone like any review decision).
 */
export function applyResolution(db: SqliteDb, c: MergeConflict, resolution: ConflictResolution, newCode: string | undefined, reviewer: string | null, now: string): void {
  const id = c.id;
  const log = db.prepare('INSERT INTO decisions (annotation_id, individual_id, decision, reviewer, details, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    if (c.kind === 'annotation') {
      const previous = c.local.individualId;
      if (resolution === 'take-incoming') {
        db.prepare('UPDATE annotations SET individual_id = ?, identified_by = ?, identified_at = ? WHERE id = ?').run(c.incoming.individualId, reviewer, now, c.annotationId);
        log.run(c.annotationId, c.incoming.individualId, 'confirm', reviewer, JSON.stringify({ conflict: id, previous }), now);
      } else {
        log.run(c.annotationId, c.incoming.individualId, 'reject', reviewer, JSON.stringify({ conflict: id, kept: previous }), now);
      }
    } else if (c.kind === 'code') {
      if (resolution === 'same-animal') {
        const moved = db.prepare('SELECT id FROM annotations WHERE individual_id = ?').pluck().all(c.incoming.individualId) as number[];
        db.prepare('UPDATE annotations SET individual_id = ? WHERE individual_id = ?').run(c.local.individualId, c.incoming.individualId);
        db.prepare("UPDATE individuals SET merged_into = ?, updated_at = ? WHERE id = ?").run(c.local.individualId, now, c.incoming.individualId);
        for (const a of moved) log.run(a, c.local.individualId, 'merge', reviewer, JSON.stringify({ conflict: id, from: c.incoming.individualId }), now);
      } else if (newCode !== undefined) {
        const code = newCode.trim();
        if (!code) throw new UserError('the new code is empty', 'bad-request');
        if (db.prepare('SELECT 1 FROM individuals WHERE code = ? AND id != ?').get(code, c.incoming.individualId)) throw new UserError(`code ${code} is already used`, 'bad-request');
        db.prepare('UPDATE individuals SET code = ?, updated_at = ? WHERE id = ?').run(code, now, c.incoming.individualId);
      }
    } else if (resolution === 'take-incoming') {
      if (!['name', 'sex', 'notes'].includes(c.field ?? '')) throw new Error(`unexpected conflict field ${c.field}`);
      db.prepare(`UPDATE individuals SET ${c.field} = ?, updated_at = ? WHERE id = ?`).run(c.incoming.value, now, c.local.individualId);
    }
    db.prepare("UPDATE merge_conflicts SET state = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ? WHERE id = ?").run(resolution, reviewer, now, id);
  })();
}
