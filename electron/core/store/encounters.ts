import type { SqliteDb } from './sqlite';

/** Encounters: photos of one outing grouped by time and place, with their date, place and notes. */
export interface EncounterStore {}

export function sqliteEncounterStore(_db: SqliteDb): EncounterStore {
  return {};
}
