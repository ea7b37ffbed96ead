import type { SqliteDb } from './sqlite';

/** Models: the bundled and trained embedding models, which one is active, their recipes and estimates. */
export interface ModelStore {}

export function sqliteModelStore(_db: SqliteDb): ModelStore {
  return {};
}
