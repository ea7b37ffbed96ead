import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { migrationsDir } from '../util/paths';
import { UserError } from '../util/errors';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Numbered `NNNN_name.sql` files, in order. Numbers must be unique; gaps are allowed. */
export function loadMigrations(dir = migrationsDir()): Migration[] {
  const out: Migration[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    const m = FILE.exec(f);
    if (!m) continue;
    out.push({ version: Number(m[1]), name: m[2], sql: fs.readFileSync(path.join(dir, f), 'utf8') });
  }
  for (let i = 1; i < out.length; i++) {
    if (out[i].version === out[i - 1].version) throw new Error(`two migrations numbered ${out[i].version} in ${dir}`);
  }
  return out;
}

export const latestVersion = (migrations = loadMigrations()): number =>
  migrations.length ? migrations[migrations.length - 1].version : 0;

export class NewerCatalogError extends UserError {
  constructor(file: string, found: number, known: number) {
    super(
      `${file} is a catalog of schema version ${found}, newer than this Caudal knows (${known}). ` +
        'Update Caudal to open it; the file was not changed.',
      'catalog-too-new',
    );
  }
}

/**
 * Brings the database to the latest schema in one transaction: either every pending migration
 * applies and user_version moves, or nothing changes. The caller takes the backup first.
 */
export function applyMigrations(db: Database.Database, file: string, migrations = loadMigrations()): number[] {
  const known = latestVersion(migrations);
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() > known) throw new NewerCatalogError(file, version(), known);
  if (version() === known) return [];
  // The version is read again under the write lock: two processes opening a new catalog at once
  // must not both create its tables (the second finds them made, and has nothing to do).
  const run = db.transaction((): number[] => {
    const pending = migrations.filter((m) => m.version > version());
    for (const m of pending) {
      try {
        db.exec(m.sql);
      } catch (e) {
        throw new Error(`migration ${m.version}_${m.name} failed on ${file}: ${(e as Error).message}`);
      }
    }
    // PRAGMA user_version is transactional in SQLite, so a later failure rolls it back too.
    if (pending.length) db.pragma(`user_version = ${known}`);
    return pending.map((m) => m.version);
  });
  return run.immediate();
}
