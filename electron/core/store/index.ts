import type { SqliteDb } from './sqlite';
import { sqlitePhotoStore, type PhotoStore } from './photos';
import { sqliteAnnotationStore, type AnnotationStore } from './annotations';
import { sqliteEncounterStore, type EncounterStore } from './encounters';
import { sqliteIndividualStore, type IndividualStore } from './individuals';
import { sqliteDecisionStore, type DecisionStore } from './decisions';
import { sqliteEmbeddingStore, type EmbeddingStore } from './embeddings';
import { sqliteModelStore, type ModelStore } from './models';
import { sqliteJobStore, type JobStore } from './jobs';
import { sqliteSettingStore, type SettingStore } from './settings';
import { sqliteBundleMergeStore, type BundleMergeStore } from './bundle-merge';

/**
 * Every read and write of a catalog goes through this interface: domain operations, never SQL.
 * SQL and better-sqlite3 live only in this folder, so a second implementation (the team catalog on
 * PostgreSQL) can stand beside the SQLite one. One module per aggregate, row types declared beside
 * their queries.
 */
export interface Store {
  readonly photos: PhotoStore;
  readonly annotations: AnnotationStore;
  readonly encounters: EncounterStore;
  readonly individuals: IndividualStore;
  readonly decisions: DecisionStore;
  readonly embeddings: EmbeddingStore;
  readonly models: ModelStore;
  readonly jobs: JobStore;
  readonly settings: SettingStore;
  /** Merging bundles and identity files from other catalogs, and their conflicts. */
  readonly bundles: BundleMergeStore;
  /** Runs fn atomically (BEGIN IMMEDIATE on SQLite): all of it commits or none of it. */
  transaction<T>(fn: () => T): T;
  /** The database engine and its version, as the About screen reports it (e.g. SQLite's '3.45.1'). */
  engineVersion(): string;
}

export function sqliteStore(db: SqliteDb): Store {
  return {
    photos: sqlitePhotoStore(db),
    annotations: sqliteAnnotationStore(db),
    encounters: sqliteEncounterStore(db),
    individuals: sqliteIndividualStore(db),
    decisions: sqliteDecisionStore(db),
    embeddings: sqliteEmbeddingStore(db),
    models: sqliteModelStore(db),
    jobs: sqliteJobStore(db),
    settings: sqliteSettingStore(db),
    bundles: sqliteBundleMergeStore(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    engineVersion: () => db.prepare('SELECT sqlite_version()').pluck().get() as string,
  };
}
