import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, latestVersion, loadMigrations, NewerCatalogError, type Migration } from './migrate';
import { UserError } from '../util/errors';
import { sqliteStore, type Store } from './index';

export interface CatalogOptions {
  /** Open an existing file only; never create one. */
  mustExist?: boolean;
  readonly?: boolean;
  /** Tests substitute their own migration list. */
  migrations?: Migration[];
}

/**
 * One catalog: a SQLite file plus a folder beside it (`<file>.files/`) for thumbnails, copied
 * media and trained models. Everything that reads or writes the catalog goes through `db`.
 */
export class Catalog {
  readonly filesDir: string;
  private storeOnce?: Store;

  private constructor(
    readonly file: string,
    readonly db: Database.Database,
  ) {
    this.filesDir = `${file}.files`;
  }

  static open(file: string, opts: CatalogOptions = {}): Catalog {
    const abs = path.resolve(file);
    const exists = fs.existsSync(abs);
    if (!exists && opts.mustExist) throw new UserError(`no catalog at ${abs}`, 'not-found');
    if (exists) checkIsSqlite(abs);
    else fs.mkdirSync(path.dirname(abs), { recursive: true });

    const migrations = opts.migrations ?? loadMigrations();
    if (exists) {
      // Look before touching: a newer or foreign file must stay byte-identical, so the version is
      // read from the header bytes (opening it, even read-only, would create -wal/-shm files).
      const version = headerUserVersion(abs);
      const known = latestVersion(migrations);
      if (version > known) throw new NewerCatalogError(abs, version, known);
      if (version < known && version > 0 && !opts.readonly) backupCatalog(abs, version);
    }

    const db = new Database(abs, { readonly: Boolean(opts.readonly), fileMustExist: exists, timeout: BUSY_TIMEOUT_MS });
    try {
      // Before anything that locks: switching a new file to WAL waits for another opener too.
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (!opts.readonly) {
        db.pragma('journal_mode = WAL');
        writeLocksFirst(db);
      }
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
      if (!opts.readonly) applyMigrations(db, abs, migrations);
    } catch (e) {
      db.close();
      throw e;
    }
    const catalog = new Catalog(abs, db);
    if (!opts.readonly) fs.mkdirSync(catalog.filesDir, { recursive: true });
    return catalog;
  }

  /** The catalog's data, as domain operations (see store/index.ts). */
  get store(): Store {
    this.storeOnce ??= sqliteStore(this.db);
    return this.storeOnce;
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** Folder inside the catalog's files folder, created on first use. */
  dir(...parts: string[]): string {
    const d = path.join(this.filesDir, ...parts);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  close(): void {
    if (this.db.open) {
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // read-only or busy: the WAL is replayed on next open
      }
      this.db.close();
    }
  }
}

/**
 * Several processes share one catalog (the app, `caudal serve`, CLI commands): a writer waits this
 * long for another's transaction before giving up with a "busy" error (see describeBusy).
 */
export const BUSY_TIMEOUT_MS = 15_000;

/**
 * Every `db.transaction(fn)` starts as BEGIN IMMEDIATE: it takes the write lock up front, waiting
 * for it under the busy timeout. A deferred transaction that reads first and writes later cannot
 * wait when another process committed in between (SQLite answers SQLITE_BUSY at once: the raw
 * "database is locked" two importers met). `.deferred` stays available for read-only work.
 */
function writeLocksFirst(db: Database.Database): void {
  const make = db.transaction.bind(db);
  (db as { transaction: unknown }).transaction = (fn: (...a: unknown[]) => unknown) => {
    const t = make(fn);
    return Object.assign((...a: unknown[]) => t.immediate(...a), { default: t.immediate, deferred: t.deferred, immediate: t.immediate, exclusive: t.exclusive });
  };
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

function checkIsSqlite(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n === 0) return; // an empty file is a new database to SQLite
    if (n < 16 || !head.equals(SQLITE_MAGIC)) throw new UserError(`${file} is not a Caudal catalog (not a SQLite database)`, 'not-a-catalog');
  } finally {
    fs.closeSync(fd);
  }
}

/** PRAGMA user_version lives at byte offset 60 of the database header, big-endian. */
function headerUserVersion(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    return fs.readSync(fd, b, 0, 4, 60) === 4 ? b.readUInt32BE(0) : 0;
  } finally {
    fs.closeSync(fd);
  }
}

/** Copies the file (and its WAL, so nothing committed is missed) before a migration touches it. */
export function backupCatalog(file: string, version: number): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dest = `${file}.v${version}.${stamp}.bak`;
  const src = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // VACUUM INTO writes a consistent copy including what is still in the WAL.
    src.prepare('VACUUM INTO ?').run(dest);
  } finally {
    src.close();
  }
  return dest;
}
