import type { SqliteDb } from './sqlite';

/** Individuals: the known animals, their codes and names, and which annotations show each. */
export interface IndividualStore {}

export function sqliteIndividualStore(_db: SqliteDb): IndividualStore {
  return {};
}
