import type { SqliteDb } from './sqlite';

/** Jobs: long work (import, embed, train, export) with its state, progress and checkpoints, so it resumes. */
export interface JobStore {
  /** Marks a job failed with the message a person reads and the stack a bug report needs. */
  recordFailure(id: number, message: string, stack: string | null, at: string): void;
}

export function sqliteJobStore(db: SqliteDb): JobStore {
  let fail: import('better-sqlite3').Statement<[string, string | null, string, string, number]> | undefined;
  return {
    recordFailure(id, message, stack, at) {
      fail ??= db.prepare("UPDATE jobs SET state = 'failed', error = ?, error_stack = ?, finished_at = ?, updated_at = ? WHERE id = ?");
      if (db.open) fail.run(message, stack, at, at, id);
    },
  };
}
