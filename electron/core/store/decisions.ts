import type { SqliteDb } from './sqlite';

/** Decisions: the append-only log of what a person confirmed, rejected, declared new or renamed. */
export interface DecisionStore {}

export function sqliteDecisionStore(_db: SqliteDb): DecisionStore {
  return {};
}
