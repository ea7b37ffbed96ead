import type { SqliteDb } from './sqlite';
import { fromBlob, toBlob } from './embeddings';
import { lazyStatements } from './statements';

/** A model's search whitening as stored (see migrations/0010_search_whitening.sql). */
export interface StoredWhitening {
  modelId: string;
  inDim: number;
  outDim: number;
  /** The model's embeddings in the catalog when it was fitted. */
  rows: number;
  /** How many of them the fit read. */
  fitRows: number;
  mean: Float32Array;
  /** outDim x inDim, row-major, rows already scaled. */
  projection: Float32Array;
  fittedAt: string;
}

/** What tells one fit from the next without reading its matrices. */
export interface WhiteningStamp {
  rows: number;
  fittedAt: string;
}

/** The search whitening per model: derived from the catalog's embeddings, refitted as the catalog grows. */
export interface WhiteningStore {
  stamp(modelId: string): WhiteningStamp | null;
  get(modelId: string): StoredWhitening | null;
  put(w: Omit<StoredWhitening, 'fittedAt'>): void;
  remove(modelId: string): void;
}

type WhiteningRow = { model_id: string; in_dim: number; out_dim: number; rows: number; fit_rows: number; mean: Buffer; projection: Buffer; fitted_at: string };

export function sqliteWhiteningStore(db: SqliteDb): WhiteningStore {
  const s = lazyStatements(db, {
    stamp: 'SELECT rows, fitted_at FROM search_whitening WHERE model_id = ?',
    get: 'SELECT * FROM search_whitening WHERE model_id = ?',
    put: `INSERT INTO search_whitening(model_id, in_dim, out_dim, rows, fit_rows, mean, projection, fitted_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
          ON CONFLICT(model_id) DO UPDATE SET in_dim = excluded.in_dim, out_dim = excluded.out_dim, rows = excluded.rows,
            fit_rows = excluded.fit_rows, mean = excluded.mean, projection = excluded.projection, fitted_at = excluded.fitted_at`,
    remove: 'DELETE FROM search_whitening WHERE model_id = ?',
  });
  return {
    stamp(modelId) {
      const r = s.stamp().get(modelId) as Pick<WhiteningRow, 'rows' | 'fitted_at'> | undefined;
      return r ? { rows: r.rows, fittedAt: r.fitted_at } : null;
    },
    get(modelId) {
      const r = s.get().get(modelId) as WhiteningRow | undefined;
      if (!r) return null;
      return { modelId: r.model_id, inDim: r.in_dim, outDim: r.out_dim, rows: r.rows, fitRows: r.fit_rows, mean: fromBlob(r.mean), projection: fromBlob(r.projection), fittedAt: r.fitted_at };
    },
    put(w) {
      if (w.mean.length !== w.inDim || w.projection.length !== w.inDim * w.outDim) throw new Error(`whitening of ${w.modelId}: matrices do not match ${w.outDim} x ${w.inDim}`);
      s.put().run(w.modelId, w.inDim, w.outDim, w.rows, w.fitRows, toBlob(w.mean), toBlob(w.projection));
    },
    remove(modelId) {
      s.remove().run(modelId);
    },
  };
}
