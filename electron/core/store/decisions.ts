import type { SqliteDb } from './sqlite';
import { lazyStatements } from './statements';

/** Decisions: the append-only log of what a person confirmed, rejected, declared new or renamed. */
export interface DecisionStore {
  /** The individuals a person rejected for an annotation (decisions not undone). */
  rejectedIndividuals(annotationId: number): number[];
}

export function sqliteDecisionStore(db: SqliteDb): DecisionStore {
  const s = lazyStatements(db, {
    rejected: "SELECT individual_id FROM decisions WHERE annotation_id = ? AND decision = 'reject' AND undone_at IS NULL AND individual_id IS NOT NULL",
  });
  return {
    rejectedIndividuals: (annotationId) => s.rejected().pluck().all(annotationId) as number[],
  };
}
