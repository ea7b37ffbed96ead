import type Database from 'better-sqlite3';
import type { SqliteDb } from './sqlite';

export type Statement = Database.Statement<any[]>;

/**
 * Prepared statements made on first use and kept, one per SQL text per connection. A statement
 * keeps its mode (pluck, raw) once set, so each key is always used the same way.
 */
export function lazyStatements<K extends string>(db: SqliteDb, sql: Record<K, string>): Record<K, () => Statement> {
  const made = new Map<K, Statement>();
  const out = {} as Record<K, () => Statement>;
  for (const k of Object.keys(sql) as K[]) {
    out[k] = () => {
      let s = made.get(k);
      if (!s) made.set(k, (s = db.prepare(sql[k]) as Statement));
      return s;
    };
  }
  return out;
}
