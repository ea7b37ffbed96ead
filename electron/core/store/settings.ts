import type { SqliteDb } from './sqlite';

/** Settings: the catalog's own preferences (species, body part, defaults), as JSON values. */
export interface SettingStore {}

export function sqliteSettingStore(_db: SqliteDb): SettingStore {
  return {};
}
