import type { Catalog } from '../store/catalog';

export const toBlob = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
export const fromBlob = (b: Buffer): Float32Array => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

/** Stores views of one annotation's backbone features (replacing any earlier ones), at `indices` (default 0, 1, ...). */
export function storeFeatures(catalog: Catalog, annotationId: number, backboneId: string, views: Float32Array[], indices?: number[]): void {
  const ins = catalog.db.prepare(
    `INSERT INTO features(annotation_id, backbone_id, view, dim, vector) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(annotation_id, backbone_id, view) DO UPDATE SET dim = excluded.dim, vector = excluded.vector`,
  );
  views.forEach((v, k) => ins.run(annotationId, backboneId, indices?.[k] ?? k, v.length, toBlob(v)));
}

export function storeEmbedding(catalog: Catalog, annotationId: number, modelId: string, v: Float32Array): void {
  catalog.db
    .prepare(
      `INSERT INTO embeddings(annotation_id, model_id, dim, vector) VALUES (?, ?, ?, ?)
       ON CONFLICT(annotation_id, model_id) DO UPDATE SET dim = excluded.dim, vector = excluded.vector, created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .run(annotationId, modelId, v.length, toBlob(v));
}
