import type { SqliteDb } from './sqlite';
import { statementCache } from './statements';

/** Settings: the catalog's own preferences (species, body part, defaults), as JSON values. */
export interface SettingStore {
  /** The stored value of `key`, or `fallback` when it was never set. */
  get<T>(key: string, fallback: T): T;
  set(key: string, value: unknown): void;
  /** Every stored setting (defaults not included). */
  all(): Record<string, unknown>;
}

type SettingRow = { key: string; value: string };

export function sqliteSettingStore(db: SqliteDb): SettingStore {
  const q = statementCache(db);
  return {
    get<T>(key: string, fallback: T): T {
      const row = q('SELECT value FROM settings WHERE key = ?').get(key) as Pick<SettingRow, 'value'> | undefined;
      return row ? (JSON.parse(row.value) as T) : fallback;
    },
    set(key, value) {
      q('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
    },
    all() {
      const out: Record<string, unknown> = {};
      for (const row of db.prepare('SELECT key, value FROM settings').all() as SettingRow[]) out[row.key] = JSON.parse(row.value);
      return out;
    },
  };
}
