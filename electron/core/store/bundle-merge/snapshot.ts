import Database from 'better-sqlite3';
import type { SqliteDb } from '../sqlite';

/** The tables whose row counts a bundle's manifest lists. */
const COUNTED = ['individuals', 'encounters', 'photos', 'annotations', 'decisions', 'models', 'embeddings', 'features'];

export interface CatalogSnapshot {
  /** Every photo's file in the snapshot, by id. */
  photos: Array<{ sha256: string; path: string; copied: number; original_name: string }>;
  counts: Record<string, number>;
}

/**
 * Writes a consistent copy of the catalog to `file` with VACUUM INTO (which sees a single
 * transaction's view, WAL included) and reads the photo list and row counts from that copy, so a
 * photo imported meanwhile is either wholly in the bundle or not at all.
 */
export function snapshotTo(db: SqliteDb, file: string): CatalogSnapshot {
  db.prepare('VACUUM INTO ?').run(file);
  const snap = new Database(file, { readonly: true });
  try {
    const photos = snap.prepare('SELECT sha256, path, copied, original_name FROM photos ORDER BY id').all() as CatalogSnapshot['photos'];
    const counts: Record<string, number> = {};
    for (const t of COUNTED) counts[t] = snap.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
    return { photos, counts };
  } finally {
    snap.close();
  }
}
