import type { SqliteDb } from './sqlite';

/** Embeddings and cached backbone features, per model version; the search index is built from them. */
export interface EmbeddingStore {
  /** How many annotations have an embedding from this model. */
  countOfModel(modelId: string): number;
}

export function sqliteEmbeddingStore(db: SqliteDb): EmbeddingStore {
  return {
    countOfModel: (modelId) => db.prepare('SELECT COUNT(*) FROM embeddings WHERE model_id = ?').pluck().get(modelId) as number,
  };
}
