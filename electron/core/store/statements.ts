import type Database from 'better-sqlite3';
import type { SqliteDb } from './sqlite';

export type Statement = Database.Statement<any[]>;

/**
 * A module's prepared statements, one cache per module: `q(sql)` for SQL built at run time (a
 * filter's WHERE), `q.named({ key: sql })` for the module's fixed SQL, read as `s.key()`. Each text
 * is prepared once, on first use. A statement keeps its mode (pluck, raw) once set, so each text
 * is always used the same way.
 */
export interface Statements {
  (sql: string): Statement;
  named<K extends string>(sql: Record<K, string>): Record<K, () => Statement>;
}

export function statementCache(db: SqliteDb): Statements {
  const cache = new Map<string, Statement>();
  const q = (sql: string): Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql) as Statement;
      cache.set(sql, s);
    }
    return s;
  };
  const named = <K extends string>(sql: Record<K, string>): Record<K, () => Statement> => {
    const out = {} as Record<K, () => Statement>;
    for (const k of Object.keys(sql) as K[]) out[k] = () => q(sql[k]);
    return out;
  };
  return Object.assign(q, { named });
}
