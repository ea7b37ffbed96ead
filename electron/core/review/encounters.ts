import type { EncounterListItem, EncounterPhoto } from '../../contract';
import type { Catalog } from '../catalog/catalog';

export function listEncounters(catalog: Catalog, offset = 0, limit = 100): { total: number; items: EncounterListItem[] } {
  const db = catalog.db;
  limit = Math.max(1, Math.min(1000, Math.floor(limit)));
  const total = db.prepare('SELECT COUNT(*) FROM encounters').pluck().get() as number;
  const items = db
    .prepare(
      `SELECT e.id, e.code, e.start_time AS start, e.end_time AS end, e.location,
        (SELECT COUNT(*) FROM photos p WHERE p.encounter_id = e.id) AS photos,
        (SELECT COUNT(*) FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE p.encounter_id = e.id) AS annotations,
        (SELECT COUNT(*) FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE p.encounter_id = e.id AND a.individual_id IS NULL) AS unidentified,
        (SELECT p.id FROM photos p WHERE p.encounter_id = e.id ORDER BY p.taken_at_utc, p.id LIMIT 1) AS cover
       FROM encounters e ORDER BY e.start_time DESC, e.id DESC LIMIT ? OFFSET ?`,
    )
    .all(limit, Math.max(0, Math.floor(offset))) as EncounterListItem[];
  return { total, items };
}

/** The photos of one encounter (or of none, for `null`) with their boxes and identities. */
export function encounterPhotos(catalog: Catalog, encounterId: number | null): EncounterPhoto[] {
  const db = catalog.db;
  const photos = db
    .prepare(
      `SELECT id AS photoId, width, height, taken_at AS takenAt, original_name AS originalName FROM photos
       WHERE encounter_id IS ? ORDER BY taken_at_utc, id LIMIT 2000`,
    )
    .all(encounterId) as Array<Omit<EncounterPhoto, 'annotations'>>;
  const anns = db.prepare(
    `SELECT a.id AS annotationId, a.x, a.y, a.w, a.h, a.body_part AS bodyPart, a.side, a.individual_id AS individualId, i.code
     FROM annotations a LEFT JOIN individuals i ON i.id = a.individual_id WHERE a.photo_id = ? ORDER BY a.id`,
  );
  return photos.map((p) => ({
    ...p,
    annotations: (anns.all(p.photoId) as Array<{ annotationId: number; x: number; y: number; w: number; h: number; bodyPart: string; side: string | null; individualId: number | null; code: string | null }>).map(
      ({ x, y, w, h, ...rest }) => ({ ...rest, box: { x, y, w, h } }),
    ),
  }));
}
