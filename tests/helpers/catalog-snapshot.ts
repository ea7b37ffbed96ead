import type { Catalog } from '../../electron/core/store/catalog';

/** Each table by natural keys (codes, sha256, creation times): row ids differ between catalogs. */
export function snapshot(c: Catalog) {
  const q = (sql: string) => c.db.prepare(sql).all();
  return {
    individuals: q('SELECT i.code, i.name, i.sex, i.notes, i.created_at, m.code AS merged_into FROM individuals i LEFT JOIN individuals m ON m.id = i.merged_into ORDER BY i.code'),
    encounters: q('SELECT code, start_time, end_time, latitude, longitude, location, observer, platform, notes FROM encounters ORDER BY code'),
    photos: q(`SELECT p.sha256, p.original_name, p.file_size, p.width, p.height, p.orientation, p.taken_at, p.taken_at_utc, p.latitude, p.longitude,
                      p.camera_make, p.camera_model, p.created_at, e.code AS encounter
                 FROM photos p LEFT JOIN encounters e ON e.id = p.encounter_id ORDER BY p.sha256`),
    annotations: q(`SELECT p.sha256, a.x, a.y, a.w, a.h, a.body_part, a.side, a.quality, i.code, a.identified_by, a.identified_at, a.created_at
                      FROM annotations a JOIN photos p ON p.id = a.photo_id LEFT JOIN individuals i ON i.id = a.individual_id ORDER BY p.sha256, a.created_at`),
    decisions: q(`SELECT p.sha256, a.created_at AS ann, i.code, d.decision, d.reviewer, d.model_id, d.rank, d.score, d.details, d.created_at, d.undone_at
                    FROM decisions d JOIN annotations a ON a.id = d.annotation_id JOIN photos p ON p.id = a.photo_id LEFT JOIN individuals i ON i.id = d.individual_id
                   ORDER BY p.sha256, a.created_at, d.created_at, d.decision`),
    models: q('SELECT id, name, kind, parent_id, manifest, hex(weights) AS weights, params, metrics, created_at, active FROM models ORDER BY id'),
    embeddings: q('SELECT p.sha256, a.created_at, e.model_id, e.dim, hex(e.vector) AS v FROM embeddings e JOIN annotations a ON a.id = e.annotation_id JOIN photos p ON p.id = a.photo_id ORDER BY 1, 2, 3'),
    features: q('SELECT p.sha256, a.created_at, f.backbone_id, f.view, f.dim, hex(f.vector) AS v FROM features f JOIN annotations a ON a.id = f.annotation_id JOIN photos p ON p.id = a.photo_id ORDER BY 1, 2, 3, 4'),
    settings: q('SELECT key, value FROM settings ORDER BY key'),
  };
}

