import type Database from 'better-sqlite3';
import type { SqliteDb } from './sqlite';

export type Statement = Database.Statement<any[]>;

/** Prepares each SQL text once, on first use, and reuses the statement afterwards. */
export function statementCache(db: SqliteDb): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql) as Statement;
      cache.set(sql, s);
    }
    return s;
  };
}

/**
 * Named statements over the same cache: one per key, made on first use. A statement keeps its mode
 * (pluck, raw) once set, so each key is always used the same way.
 */
export function lazyStatements<K extends string>(db: SqliteDb, sql: Record<K, string>): Record<K, () => Statement> {
  const q = statementCache(db);
  const out = {} as Record<K, () => Statement>;
  for (const k of Object.keys(sql) as K[]) out[k] = () => q(sql[k]);
  return out;
}
