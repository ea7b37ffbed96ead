import type { Catalog } from '../catalog/catalog';
import { headFor } from './heads';
import { fromBlob, storeEmbedding } from './feature-store';
import { flipAverageParts } from './flip';
import { backboneOf, modelById } from './models-table';
import { MIRROR_VIEW, PLAIN_VIEW } from './views';

/** Mean of two L2-normalised rows, normalised again. */
function averageRows(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    out[i] = a[i] + b[i];
    s += out[i] * out[i];
  }
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < a.length; i++) out[i] *= inv;
  return out;
}

/**
 * Applies a model's head to stored features: view 0 alone, or averaged with view 1's when the
 * annotation's body part is flip-averaged. `rows` are one per annotation.
 */
export function embedRows(
  head: ReturnType<typeof headFor>,
  rows: Array<{ plain: Float32Array; mirror?: Float32Array }>,
): Float32Array[] {
  if (!rows.length) return [];
  const dimIn = rows[0].plain.length;
  const flat = new Float32Array(rows.length * 2 * dimIn);
  rows.forEach((r, i) => {
    flat.set(r.plain, 2 * i * dimIn);
    flat.set(r.mirror ?? r.plain, (2 * i + 1) * dimIn);
  });
  const { vectors, dim } = head(flat, rows.length * 2, dimIn);
  return rows.map((r, i) => {
    const a = vectors.slice(2 * i * dim, (2 * i + 1) * dim);
    return r.mirror ? averageRows(a, vectors.subarray((2 * i + 1) * dim, (2 * i + 2) * dim)) : a;
  });
}

/**
 * Writes a model's embeddings from stored backbone features, without decoding a photo: for
 * every annotation that has features for the model's backbone and no embedding for the model
 * (or all of them with `replace`). Returns how many were written.
 */
export function embedFromFeatures(
  catalog: Catalog,
  modelId: string,
  opts: { replace?: boolean; signal?: AbortSignal; progress?: (done: number, total: number) => void; /** only these annotations */ ids?: number[] } = {},
): number {
  const db = catalog.db;
  const model = modelById(catalog, modelId);
  const backbone = backboneOf(catalog, model);
  const head = headFor(model);
  const flipParts = flipAverageParts(catalog);
  const ids = db
    .prepare(
      `SELECT f.annotation_id AS id, a.body_part AS part FROM features f JOIN annotations a ON a.id = f.annotation_id
       WHERE f.backbone_id = ? AND f.view = ${PLAIN_VIEW}
       ${opts.ids ? `AND f.annotation_id IN (${opts.ids.map(Number).join(',') || 'NULL'})` : ''}
       ${opts.replace ? '' : 'AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.annotation_id = f.annotation_id AND e.model_id = ?)'}
       ORDER BY f.annotation_id`,
    )
    .all(...(opts.replace ? [backbone] : [backbone, modelId])) as Array<{ id: number; part: string }>;
  const get = db.prepare('SELECT vector FROM features WHERE annotation_id = ? AND backbone_id = ? AND view = ?').pluck();
  let written = 0;
  for (let i = 0; i < ids.length; i += 256) {
    if (opts.signal?.aborted) break;
    const chunk = ids.slice(i, i + 256);
    const rows = chunk.map(({ id, part }) => {
      const plain = fromBlob(get.get(id, backbone, PLAIN_VIEW) as Buffer);
      const m = flipParts.has(part) ? (get.get(id, backbone, MIRROR_VIEW) as Buffer | undefined) : undefined;
      return { plain, mirror: m ? fromBlob(m) : undefined };
    });
    const vectors = embedRows(head, rows);
    db.transaction(() => chunk.forEach(({ id }, k) => storeEmbedding(catalog, id, modelId, vectors[k])))();
    written += chunk.length;
    opts.progress?.(written, ids.length);
  }
  return written;
}
