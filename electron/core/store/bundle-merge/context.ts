import type { SqliteDb } from '../sqlite';
import type { MergeCounts, MergeResult } from '../../../contract';

export const zeroCounts = (): MergeCounts => ({ individuals: 0, encounters: 0, photos: 0, annotations: 0, decisions: 0, models: 0, embeddings: 0, features: 0 });

/** State shared by the steps of one merge, all inside one transaction on the target. */
export interface MergeContext {
  /** The catalog merged into. */
  t: SqliteDb;
  /** The bundle's database. */
  s: SqliteDb;
  mergeId: number;
  added: MergeCounts;
  duplicate: MergeCounts;
  conflicts: MergeResult['conflicts'];
  /** Source row id -> target row id. */
  individuals: Map<number, number>;
  encounters: Map<number, number>;
  photos: Map<number, number>;
  annotations: Map<number, number>;
  /** Source annotations whose box is exactly the target's (their embeddings/features carry over). */
  sameCrop: Set<number>;
}

/** A fresh context: nothing counted or mapped yet. */
export function newMergeContext(t: SqliteDb, s: SqliteDb, mergeId: number): MergeContext {
  return {
    t,
    s,
    mergeId,
    added: zeroCounts(),
    duplicate: zeroCounts(),
    conflicts: { total: 0, annotation: 0, code: 0, attribute: 0 },
    individuals: new Map(),
    encounters: new Map(),
    photos: new Map(),
    annotations: new Map(),
    sameCrop: new Set(),
  };
}

export function addConflict(ctx: MergeContext, row: Record<string, unknown> & { kind: 'annotation' | 'code' | 'attribute' }): number {
  const cols = Object.keys(row);
  const values = cols.map((c) => (c === 'details' ? JSON.stringify(row[c] ?? {}) : row[c]));
  const { lastInsertRowid } = ctx.t
    .prepare(`INSERT INTO merge_conflicts (merge_id, ${cols.join(', ')}) VALUES (?, ${cols.map(() => '?').join(', ')})`)
    .run(ctx.mergeId, ...(values as unknown[]));
  ctx.conflicts[row.kind]++;
  ctx.conflicts.total++;
  return Number(lastInsertRowid);
}
