import type { SqliteDb } from './sqlite';

/** Jobs: long work (import, embed, train, export) with its state, progress and checkpoints, so it resumes. */
export interface JobStore {}

export function sqliteJobStore(_db: SqliteDb): JobStore {
  return {};
}
