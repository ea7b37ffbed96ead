import { Catalog } from '../../../electron/core/store/catalog';
import type { FeatureSet } from '../../../electron/core/training/dataset';

/**
 * A real catalog file holding a feature set as confirmed annotations: one pretrained backbone row
 * (active), individuals, sightings as encounters, one photo and annotation per sample, and every
 * view as a stored feature row, as the embedding engine stores them.
 */
export function catalogFromFeatureSet(file: string, set: FeatureSet, backboneId = 'tiny-backbone', pretrainedEmbeddings = true): Catalog {
  const c = Catalog.open(file);
  const db = c.db;
  const sides = ['left', 'right'];
  db.transaction(() => {
    db.prepare("INSERT INTO models(id, name, kind, manifest, active) VALUES (?, 'Tiny backbone', 'pretrained', '{}', 1)").run(backboneId);
    const ind = new Map<number, number>();
    const enc = new Map<number, number>();
    for (let i = 0; i < set.ids.length; i++) {
      const l = set.label[i];
      if (!ind.has(l)) ind.set(l, Number(db.prepare('INSERT INTO individuals(code) VALUES (?)').run(`IND-${l}`).lastInsertRowid));
      const g = set.group[i];
      if (!enc.has(g)) enc.set(g, Number(db.prepare('INSERT INTO encounters(code) VALUES (?)').run(`s${set.order[i]}-${g}`).lastInsertRowid));
      const photo = Number(
        db.prepare('INSERT INTO photos(sha256, path, original_name, width, height, encounter_id, taken_at_utc) VALUES (?, ?, ?, 64, 64, ?, ?)').run(`sha-${i}`, `/photos/${i}.jpg`, `${i}.jpg`, enc.get(g), new Date(Date.UTC(2020, 0, 1 + set.order[i])).toISOString()).lastInsertRowid,
      );
      const side = set.side[i] >= 0 ? sides[set.side[i]] : null;
      const a = Number(db.prepare('INSERT INTO annotations(photo_id, x, y, w, h, side, individual_id) VALUES (?, 0, 0, 64, 64, ?, ?)').run(photo, side, ind.get(l)).lastInsertRowid);
      for (let v = 0; v < set.viewCount[i]; v++) {
        const row = set.features.slice((set.viewStart[i] + v) * set.dimIn, (set.viewStart[i] + v + 1) * set.dimIn);
        db.prepare('INSERT INTO features(annotation_id, backbone_id, view, dim, vector) VALUES (?, ?, ?, ?, ?)').run(a, backboneId, v, set.dimIn, Buffer.from(row.buffer));
      }
      if (pretrainedEmbeddings) {
        const v0 = set.features.slice(set.viewStart[i] * set.dimIn, (set.viewStart[i] + 1) * set.dimIn);
        const n = Math.hypot(...v0);
        db.prepare('INSERT INTO embeddings(annotation_id, model_id, dim, vector) VALUES (?, ?, ?, ?)').run(a, backboneId, set.dimIn, Buffer.from(v0.map((x) => x / n).buffer));
      }
    }
  })();
  return c;
}
