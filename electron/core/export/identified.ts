import crypto from 'node:crypto';
import type { Catalog } from '../store/catalog';

/** One identified annotation with everything an export writes about it. */
export interface IdentifiedRow {
  annotationId: number;
  occurrenceId: string;
  individualId: number;
  individualCode: string;
  individualName: string | null;
  sex: string | null;
  encounterId: number | null;
  encounterCode: string | null;
  takenAt: string | null;
  latitude: number | null;
  longitude: number | null;
  location: string | null;
  observer: string | null;
  photoId: number;
  photoSha256: string;
  photoName: string;
  photoPath: string;
  photoCopied: number;
  x: number;
  y: number;
  w: number;
  h: number;
  bodyPart: string;
  side: string | null;
  quality: number | null;
  identifiedBy: string | null;
  identifiedAt: string | null;
  modelId: string | null;
  score: number | null;
}

/**
 * The stable id of an occurrence (one identified annotation): the photo's content hash plus
 * the annotation's creation time, which bundles and merges carry over unchanged. Row ids are
 * renumbered by a merge and box coordinates can be nudged, so neither is used. Two boxes
 * created in the same millisecond on one photo are told apart by their order.
 */
export function occurrenceIdFor(photoSha256: string, annotationCreatedAt: string, ordinal = 0): string {
  const h = crypto.createHash('sha256').update(annotationCreatedAt).digest('hex').slice(0, 12);
  return `urn:caudal:occ:${photoSha256}:${h}${ordinal ? `-${ordinal}` : ''}`;
}

/**
 * Every identified annotation, individuals followed through `merged_into`, with the latest
 * standing review decision for its model and score. Photo GPS wins over the encounter's
 * position; taken_at keeps the camera's local time and offset.
 */
export function identifiedRows(catalog: Catalog): IdentifiedRow[] {
  const raw = catalog.db
    .prepare(
      `SELECT a.id AS annotationId, a.created_at AS annCreatedAt, a.individual_id AS rawIndividualId,
              e.id AS encounterId, e.code AS encounterCode,
              COALESCE(p.taken_at, e.start_time) AS takenAt,
              CASE WHEN p.latitude IS NOT NULL AND p.longitude IS NOT NULL THEN p.latitude ELSE e.latitude END AS latitude,
              CASE WHEN p.latitude IS NOT NULL AND p.longitude IS NOT NULL THEN p.longitude ELSE e.longitude END AS longitude,
              e.location AS location, e.observer AS observer,
              p.id AS photoId, p.sha256 AS photoSha256, p.original_name AS photoName, p.path AS photoPath, p.copied AS photoCopied,
              a.x, a.y, a.w, a.h, a.body_part AS bodyPart, a.side, a.quality,
              a.identified_by AS identifiedBy, a.identified_at AS identifiedAt,
              (SELECT d.model_id FROM decisions d WHERE d.annotation_id = a.id AND d.undone_at IS NULL
                 AND d.decision IN ('confirm', 'new') ORDER BY d.created_at DESC, d.id DESC LIMIT 1) AS modelId,
              (SELECT d.score FROM decisions d WHERE d.annotation_id = a.id AND d.undone_at IS NULL
                 AND d.decision IN ('confirm', 'new') ORDER BY d.created_at DESC, d.id DESC LIMIT 1) AS score
         FROM annotations a
         JOIN photos p ON p.id = a.photo_id
         LEFT JOIN encounters e ON e.id = p.encounter_id
        WHERE a.individual_id IS NOT NULL
        ORDER BY COALESCE(p.taken_at_utc, e.start_time), p.sha256, a.created_at, a.x, a.y, a.id`,
    )
    .all() as Array<Omit<IdentifiedRow, 'occurrenceId' | 'individualId' | 'individualCode' | 'individualName' | 'sex'> & { annCreatedAt: string; rawIndividualId: number }>;
  const inds = new Map(
    (catalog.db.prepare('SELECT id, code, name, sex, merged_into FROM individuals').all() as Array<{ id: number; code: string; name: string | null; sex: string | null; merged_into: number | null }>).map(
      (r) => [r.id, r],
    ),
  );
  const final = (id: number) => {
    let r = inds.get(id)!;
    for (let hops = 0; r.merged_into && hops < 100; hops++) r = inds.get(r.merged_into) ?? r;
    return r;
  };
  const seen = new Map<string, number>();
  return raw.map(({ annCreatedAt, rawIndividualId, ...r }) => {
    const ind = final(rawIndividualId);
    const key = `${r.photoSha256}|${annCreatedAt}`;
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    return {
      ...r,
      occurrenceId: occurrenceIdFor(r.photoSha256, annCreatedAt, ordinal),
      individualId: ind.id,
      individualCode: ind.code,
      individualName: ind.name,
      sex: ind.sex,
    };
  });
}

/** The photo file on disk (copied media live under the catalog's files folder). */
export function sourceFile(catalog: Catalog, row: { photoPath: string; photoCopied: number }): string {
  return row.photoCopied ? `${catalog.filesDir}/${row.photoPath}` : row.photoPath;
}
