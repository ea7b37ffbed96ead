import type { SqliteDb } from './sqlite';
import { statementCache } from './statements';

export const toBlob = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
export const fromBlob = (b: Buffer): Float32Array => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

/** An annotation whose backbone features are (partly) missing, with what it takes to crop its photo. */
export interface FeatureTodo {
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  path: string;
  copied: number;
  missing: number;
  /** 1 when even the plain view is missing (every view is computed), 0 when only test views are. */
  fresh: number;
}

/** An annotation with a stored plain view of a backbone, and its body part (which decides mirror averaging). */
export interface Embeddable {
  id: number;
  part: string;
}

/** One stored training view of a confirmed annotation, with what training groups and orders it by. */
export interface TrainingFeatureRow {
  annotation_id: number;
  view: number;
  dim: number;
  vector: Buffer;
  /** The individual, merges followed. */
  individual_id: number;
  side: string | null;
  body_part: string;
  encounter_id: number | null;
  code: string | null;
  when_utc: string | null;
}

/**
 * One gallery row as stored, positionally (the search index reads hundreds of thousands of them;
 * tuples skip building an object each): annotation, dim, vector bytes (not necessarily 4-byte
 * aligned), individual, photo, encounter, side, body part, taken_at_utc, latitude, longitude (the
 * photo's, else its encounter's).
 */
export type GalleryEntry = [number, number, Buffer, number | null, number, number | null, string | null, string, string | null, number | null, number | null];

/** A catalogued annotation as a query of the reference matcher: where it is and its vector for a model (null: none). */
export interface MatchQueryRow {
  side: string | null;
  bodyPart: string;
  encounterId: number | null;
  vector: Float32Array | null;
}

/** An identified annotation's vector with what the reference matcher filters on. */
export interface IdentifiedVector {
  annotationId: number;
  individualId: number;
  side: string | null;
  bodyPart: string;
  photoId: number;
  encounterId: number | null;
  takenAt: string | null;
  latitude: number | null;
  longitude: number | null;
  vector: Float32Array;
}

/** Embeddings and cached backbone features, per model version; the search index is built from them. */
export interface EmbeddingStore {
  /** Stores views of one annotation's backbone features (replacing earlier ones), at `indices` (default 0, 1, ...). */
  putFeatures(annotationId: number, backboneId: string, views: Float32Array[], indices?: number[]): void;
  /** One stored view, or undefined. */
  feature(annotationId: number, backboneId: string, view: number): Float32Array | undefined;
  /** Annotations lacking the plain view or one of `testViews` of a backbone, photo by photo. */
  lackingFeatures(backboneId: string, testViews: number[]): FeatureTodo[];
  /**
   * Annotations with a stored plain view of the backbone, by id: only `ids` when given, only those
   * without a vector of `missingFor` (a model id) when given.
   */
  embeddable(backboneId: string, opts?: { ids?: number[]; missingFor?: string }): Embeddable[];
  /** The backbone most annotations have features of, or null when none has any. */
  mostFeaturedBackbone(): string | null;
  /** Every stored view below `belowView` of confirmed annotations, by annotation then view. */
  trainingFeatures(backboneId: string, belowView: number): TrainingFeatureRow[];
  /** Confirmed annotations (and their individuals, merges followed) that have features of the backbone. */
  trainingCounts(backboneId: string | null): { individuals: number; annotations: number };

  /** Writes (or replaces) one annotation's vector for a model. */
  put(annotationId: number, modelId: string, v: Float32Array): void;
  /** Writes vectors of a model, replacing rows already there. */
  putAll(modelId: string, vectors: Array<{ id: number; vector: Float32Array }>): void;
  deleteModel(modelId: string): void;
  count(modelId: string): number;
  /** Annotations without a vector of the model. */
  countLacking(modelId: string): number;

  /** The newest position in the gallery change log (0 when empty). */
  galleryChangeSeq(): number;
  /** One consistent read of a model's gallery: its size, dim, rows, and the change-log position they correspond to. */
  gallerySnapshot<T>(modelId: string, read: (s: { seq: number; count: number; dim: number | undefined; rows: () => Iterable<GalleryEntry> }) => T): T;
  /** One consistent read of what changed since `sinceSeq` for a model (annotation ids; null model = any). */
  galleryChanges<T>(
    modelId: string,
    sinceSeq: number,
    read: (c: { min: number | null; changed: () => number[]; seq: () => number; entry: (annotationId: number) => GalleryEntry | undefined }) => T,
  ): T;
  /** Forgets change-log rows up to `seq` (no-op on a read-only connection). */
  pruneGalleryChanges(seq: number): void;

  /** The reference matcher's query: the annotation and its vector of the model, or null when there is no such annotation. */
  matchQuery(modelId: string, annotationId: number): MatchQueryRow | null;
  /** Every identified annotation's vector of the model, except one. */
  identifiedVectors(modelId: string, exceptAnnotation: number): IdentifiedVector[];
}

const GALLERY_SQL = `SELECT e.annotation_id, e.dim, e.vector, a.individual_id, a.photo_id, p.encounter_id, a.side, a.body_part,
    p.taken_at_utc, COALESCE(p.latitude, en.latitude), COALESCE(p.longitude, en.longitude)
  FROM embeddings e JOIN annotations a ON a.id = e.annotation_id JOIN photos p ON p.id = a.photo_id
  LEFT JOIN encounters en ON en.id = p.encounter_id`;

export function sqliteEmbeddingStore(db: SqliteDb): EmbeddingStore {
  const s = statementCache(db).named({
    putFeature: `INSERT INTO features(annotation_id, backbone_id, view, dim, vector) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT(annotation_id, backbone_id, view) DO UPDATE SET dim = excluded.dim, vector = excluded.vector`,
    feature: 'SELECT vector FROM features WHERE annotation_id = ? AND backbone_id = ? AND view = ?',
    mostFeatured: 'SELECT backbone_id FROM features GROUP BY backbone_id ORDER BY COUNT(*) DESC LIMIT 1',
    trainingCounts: `SELECT COUNT(DISTINCT COALESCE(i.merged_into, a.individual_id)) AS individuals, COUNT(*) AS annotations
       FROM annotations a JOIN individuals i ON i.id = a.individual_id
       WHERE EXISTS (SELECT 1 FROM features f WHERE f.annotation_id = a.id AND f.backbone_id = ?)`,
    put: `INSERT INTO embeddings(annotation_id, model_id, dim, vector) VALUES (?, ?, ?, ?)
          ON CONFLICT(annotation_id, model_id) DO UPDATE SET dim = excluded.dim, vector = excluded.vector, created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    replace: 'INSERT OR REPLACE INTO embeddings(annotation_id, model_id, dim, vector) VALUES (?, ?, ?, ?)',
    deleteModel: 'DELETE FROM embeddings WHERE model_id = ?',
    count: 'SELECT COUNT(*) FROM embeddings WHERE model_id = ?',
    countLacking: 'SELECT COUNT(*) FROM annotations a WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.annotation_id = a.id AND e.model_id = ?)',
    firstDim: 'SELECT dim FROM embeddings WHERE model_id = ? LIMIT 1',
    maxSeq: 'SELECT COALESCE(MAX(seq), 0) FROM gallery_changes',
    minSeq: 'SELECT MIN(seq) FROM gallery_changes',
    changed: 'SELECT DISTINCT annotation_id FROM gallery_changes WHERE seq > ? AND (model_id IS NULL OR model_id = ?)',
    prune: 'DELETE FROM gallery_changes WHERE seq <= ?',
    galleryAll: `${GALLERY_SQL} WHERE e.model_id = ?`,
    galleryOne: `${GALLERY_SQL} WHERE e.model_id = ? AND e.annotation_id = ?`,
    matchQuery: `SELECT a.side, a.body_part, p.encounter_id, e.vector FROM annotations a JOIN photos p ON p.id = a.photo_id
       LEFT JOIN embeddings e ON e.annotation_id = a.id AND e.model_id = ? WHERE a.id = ?`,
    identified: `SELECT a.id, a.individual_id, a.side, a.body_part, p.id AS photo_id, p.encounter_id, p.taken_at_utc, p.latitude, p.longitude, e.vector
       FROM embeddings e JOIN annotations a ON a.id = e.annotation_id JOIN photos p ON p.id = a.photo_id
       WHERE e.model_id = ? AND a.individual_id IS NOT NULL AND a.id != ?`,
  });
  const maxSeq = () => (s.maxSeq().pluck().get() as number) ?? 0;
  const store: EmbeddingStore = {
    putFeatures: (annotationId, backboneId, views, indices) => {
      const ins = s.putFeature();
      views.forEach((v, k) => ins.run(annotationId, backboneId, indices?.[k] ?? k, v.length, toBlob(v)));
    },
    feature: (annotationId, backboneId, view) => {
      const b = s.feature().pluck().get(annotationId, backboneId, view) as Buffer | undefined;
      return b ? fromBlob(b) : undefined;
    },
    lackingFeatures: (backboneId, testViews) => {
      const lacking = (v: number) => `NOT EXISTS (SELECT 1 FROM features f WHERE f.annotation_id = a.id AND f.backbone_id = @backbone AND f.view = ${Number(v)})`;
      return db
        .prepare(
          `SELECT a.id, a.x, a.y, a.w, a.h, p.path, p.copied, p.missing, ${lacking(0)} AS fresh FROM annotations a JOIN photos p ON p.id = a.photo_id
           WHERE ${[0, ...testViews].map(lacking).join(' OR ')}
           ORDER BY p.id, a.id`,
        )
        .all({ backbone: backboneId }) as FeatureTodo[];
    },
    embeddable: (backboneId, opts = {}) =>
      db
        .prepare(
          `SELECT f.annotation_id AS id, a.body_part AS part FROM features f JOIN annotations a ON a.id = f.annotation_id
           WHERE f.backbone_id = ? AND f.view = 0
           ${opts.ids ? `AND f.annotation_id IN (${opts.ids.map(Number).join(',') || 'NULL'})` : ''}
           ${opts.missingFor !== undefined ? 'AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.annotation_id = f.annotation_id AND e.model_id = ?)' : ''}
           ORDER BY f.annotation_id`,
        )
        .all(...(opts.missingFor !== undefined ? [backboneId, opts.missingFor] : [backboneId])) as Embeddable[],
    mostFeaturedBackbone: () => (s.mostFeatured().pluck().get() as string | undefined) ?? null,
    trainingFeatures: (backboneId, belowView) =>
      db
        .prepare(
          `SELECT f.annotation_id, f.view, f.dim, f.vector, COALESCE(i.merged_into, a.individual_id) AS individual_id, a.side, a.body_part,
                  p.encounter_id, e.code, COALESCE(p.taken_at_utc, e.start_time) AS when_utc
           FROM features f JOIN annotations a ON a.id = f.annotation_id JOIN photos p ON p.id = a.photo_id
           JOIN individuals i ON i.id = a.individual_id LEFT JOIN encounters e ON e.id = p.encounter_id
           WHERE f.backbone_id = ? AND a.individual_id IS NOT NULL AND f.view < ?
           ORDER BY f.annotation_id, f.view`,
        )
        .all(backboneId, belowView) as TrainingFeatureRow[],
    trainingCounts: (backboneId) => s.trainingCounts().get(backboneId) as { individuals: number; annotations: number },

    put: (annotationId, modelId, v) => {
      s.put().run(annotationId, modelId, v.length, toBlob(v));
    },
    putAll: (modelId, vectors) => {
      const ins = s.replace();
      for (const v of vectors) ins.run(v.id, modelId, v.vector.length, toBlob(v.vector));
    },
    deleteModel: (modelId) => {
      s.deleteModel().run(modelId);
    },
    count: (modelId) => s.count().pluck().get(modelId) as number,
    countLacking: (modelId) => s.countLacking().pluck().get(modelId) as number,

    galleryChangeSeq: maxSeq,
    gallerySnapshot: (modelId, read) =>
      db
        .transaction(() => {
          const seq = maxSeq();
          // Both answered from the model index alone: no pass over the BLOBs before the real one.
          const count = s.count().pluck().get(modelId) as number;
          const dim = s.firstDim().pluck().get(modelId) as number | undefined;
          return read({ seq, count, dim, rows: () => s.galleryAll().raw(true).iterate(modelId) as IterableIterator<GalleryEntry> });
        })
        .deferred(),
    galleryChanges: (modelId, sinceSeq, read) =>
      db
        .transaction(() =>
          read({
            min: s.minSeq().pluck().get() as number | null,
            changed: () => s.changed().pluck().all(sinceSeq, modelId) as number[],
            seq: () => s.maxSeq().pluck().get() as number,
            entry: (annotationId) => s.galleryOne().raw(true).get(modelId, annotationId) as GalleryEntry | undefined,
          }),
        )
        .deferred(),
    pruneGalleryChanges: (seq) => {
      try {
        s.prune().run(seq);
      } catch {
        // read-only connection: another writer prunes
      }
    },

    matchQuery: (modelId, annotationId) => {
      const q = s.matchQuery().get(modelId, annotationId) as { side: string | null; body_part: string; encounter_id: number | null; vector: Buffer | null } | undefined;
      return q ? { side: q.side, bodyPart: q.body_part, encounterId: q.encounter_id, vector: q.vector ? fromBlob(q.vector) : null } : null;
    },
    identifiedVectors: (modelId, exceptAnnotation) =>
      (
        s.identified().all(modelId, exceptAnnotation) as Array<{
          id: number;
          individual_id: number;
          side: string | null;
          body_part: string;
          photo_id: number;
          encounter_id: number | null;
          taken_at_utc: string | null;
          latitude: number | null;
          longitude: number | null;
          vector: Buffer;
        }>
      ).map((r) => ({
        annotationId: r.id,
        individualId: r.individual_id,
        side: r.side,
        bodyPart: r.body_part,
        photoId: r.photo_id,
        encounterId: r.encounter_id,
        takenAt: r.taken_at_utc,
        latitude: r.latitude,
        longitude: r.longitude,
        vector: fromBlob(r.vector),
      })),
  };
  return store;
}

