import type { SqliteDb } from './sqlite';

/** Embeddings and cached backbone features, per model version; the search index is built from them. */
export interface EmbeddingStore {}

export function sqliteEmbeddingStore(_db: SqliteDb): EmbeddingStore {
  return {};
}
