import type { SqliteDb } from './sqlite';

/** Models: the bundled and trained embedding models, which one is active, their recipes and estimates. */
export interface ModelStore {
  /** The id of the active model; null when none is. */
  activeId(): string | null;
}

export function sqliteModelStore(db: SqliteDb): ModelStore {
  return {
    activeId: () => (db.prepare('SELECT id FROM models WHERE active = 1').pluck().get() as string | undefined) ?? null,
  };
}
