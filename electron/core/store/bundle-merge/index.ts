import type { ConflictResolution, MergeConflict, MergeResult } from '../../../contract';
import type { SqliteDb } from '../sqlite';
import { applyResolution, getConflict, listConflicts } from './conflicts';
import { applyClaims, type ClaimOptions, type IdentityClaim } from './identities';
import { mergeRows, type MergeRowsOptions } from './merge';
import { snapshotTo, type CatalogSnapshot } from './snapshot';

/**
 * Exchange between catalogs: merging another catalog's rows (a bundle's database) or a file of
 * identity claims into this one, the conflicts they leave for a person, and the snapshot a bundle
 * is written from. Table-to-table work over two databases, so it lives beside the SQL.
 */
export type { CatalogSnapshot, ClaimOptions, IdentityClaim, MergeRowsOptions };

export interface BundleMergeStore {
  /** Merges every row of `source` (the store of a bundle's catalog) into this one, in one transaction. */
  mergeFrom(source: BundleMergeStore, o: MergeRowsOptions): MergeResult;
  applyIdentityClaims(claims: IdentityClaim[], o: ClaimOptions): MergeResult;
  conflicts(state: 'open' | 'resolved' | 'all'): MergeConflict[];
  conflict(id: number): MergeConflict | undefined;
  resolveConflict(c: MergeConflict, resolution: ConflictResolution, newCode: string | undefined, reviewer: string | null, now: string): void;
  /** A consistent copy of the catalog in `file`, with its photo list and row counts. */
  snapshotTo(file: string): CatalogSnapshot;
}

/** Each store's database, so a merge can read the other side's tables. */
const databases = new WeakMap<BundleMergeStore, SqliteDb>();

export function sqliteBundleMergeStore(db: SqliteDb): BundleMergeStore {
  const store: BundleMergeStore = {
    mergeFrom(source, o) {
      const s = databases.get(source);
      if (!s) throw new Error('the bundle to merge is not a SQLite catalog');
      return mergeRows(db, s, o);
    },
    applyIdentityClaims: (claims, o) => applyClaims(db, claims, o),
    conflicts: (state) => listConflicts(db, state),
    conflict: (id) => getConflict(db, id),
    resolveConflict: (c, resolution, newCode, reviewer, now) => applyResolution(db, c, resolution, newCode, reviewer, now),
    snapshotTo: (file) => snapshotTo(db, file),
  };
  databases.set(store, db);
  return store;
}
