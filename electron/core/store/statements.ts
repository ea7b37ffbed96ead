import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from './sqlite';

/** Prepares each SQL text once, on first use, and reuses the statement afterwards. */
export function statementCache(db: SqliteDb): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
}
