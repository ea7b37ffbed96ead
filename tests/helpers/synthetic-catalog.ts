import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { tmpDir } from './tmp';

export interface SynthRow {
  individual: string | null;
  vector: Float32Array | number[];
  side?: string | null;
  bodyPart?: string;
  encounter?: string | null;
  takenAt?: string | null;
  lat?: number | null;
  lon?: number | null;
}

/** A real catalog file holding one active model and the given annotations with embeddings. */
export function syntheticCatalog(rows: SynthRow[], modelId = 'synthetic'): { catalog: Catalog; annotationIds: number[]; individualIds: Map<string, number> } {
  const catalog = Catalog.open(path.join(tmpDir(), 'synthetic.sqlite'));
  const db = catalog.db;
  db.prepare("INSERT INTO models(id, name, kind, manifest, active) VALUES (?, ?, 'pretrained', '{}', 1)").run(modelId, modelId);
  const individualIds = new Map<string, number>();
  const encounters = new Map<string, number>();
  const annotationIds: number[] = [];
  db.transaction(() => {
    rows.forEach((r, i) => {
      let ind: number | null = null;
      if (r.individual) {
        ind = individualIds.get(r.individual) ?? null;
        if (ind === null) {
          ind = Number(db.prepare('INSERT INTO individuals(code) VALUES (?)').run(r.individual).lastInsertRowid);
          individualIds.set(r.individual, ind);
        }
      }
      let enc: number | null = null;
      if (r.encounter) {
        enc = encounters.get(r.encounter) ?? null;
        if (enc === null) {
          enc = Number(db.prepare('INSERT INTO encounters(code) VALUES (?)').run(r.encounter).lastInsertRowid);
          encounters.set(r.encounter, enc);
        }
      }
      const photo = db
        .prepare('INSERT INTO photos(sha256, path, original_name, width, height, taken_at_utc, latitude, longitude, encounter_id) VALUES (?, ?, ?, 100, 100, ?, ?, ?, ?)')
        .run(`sha-${i}`, `/p/${i}.jpg`, `${i}.jpg`, r.takenAt ?? null, r.lat ?? null, r.lon ?? null, enc).lastInsertRowid;
      const ann = Number(
        db
          .prepare('INSERT INTO annotations(photo_id, x, y, w, h, body_part, side, individual_id) VALUES (?, 0, 0, 10, 10, ?, ?, ?)')
          .run(photo, r.bodyPart ?? 'fluke', r.side ?? null, ind).lastInsertRowid,
      );
      annotationIds.push(ann);
      addEmbedding(catalog, ann, r.vector, modelId);
    });
  })();
  return { catalog, annotationIds, individualIds };
}

/** Stored as the embed job stores them: L2-normalised float32. */
export function addEmbedding(catalog: Catalog, annotationId: number, vector: Float32Array | number[], modelId = 'synthetic'): void {
  const v = Float32Array.from(vector);
  const norm = Math.hypot(...v);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  catalog.db
    .prepare('INSERT OR REPLACE INTO embeddings(annotation_id, model_id, dim, vector) VALUES (?, ?, ?, ?)')
    .run(annotationId, modelId, v.length, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomUnit(r: () => number, dim: number): Float32Array {
  const v = new Float32Array(dim);
  let ss = 0;
  for (let i = 0; i < dim; i++) {
    // Box-Muller keeps directions uniform on the sphere.
    v[i] = Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
    ss += v[i] * v[i];
  }
  for (let i = 0; i < dim; i++) v[i] /= Math.sqrt(ss);
  return v;
}
