import type Database from 'better-sqlite3';

/** The SQLite connection. Only modules in electron/core/store/ may hold one or import better-sqlite3. */
export type SqliteDb = Database.Database;
