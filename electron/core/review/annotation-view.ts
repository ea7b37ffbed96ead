import type { AnnotationView, Box } from '../../contract';
import type { Catalog } from '../store/catalog';

/** The columns every annotation view needs; callers add their own WHERE / ORDER BY. */
export const ANNOTATION_VIEW_SQL = `SELECT a.id AS annotationId, a.photo_id AS photoId, p.width, p.height, a.x, a.y, a.w, a.h,
  a.body_part AS bodyPart, a.side, p.taken_at AS takenAt, p.encounter_id AS encounterId, e.code AS encounterCode,
  p.original_name AS originalName
  FROM annotations a JOIN photos p ON p.id = a.photo_id LEFT JOIN encounters e ON e.id = p.encounter_id`;

/** A row of ANNOTATION_VIEW_SQL: the view with its box as flat columns. */
export type AnnotationViewRow = Omit<AnnotationView, 'box'> & Box;

export function toView(r: AnnotationViewRow): AnnotationView {
  // Field by field: callers select extra columns (e.g. the queue's `skipped`) that are not the view's.
  return {
    annotationId: r.annotationId,
    photoId: r.photoId,
    width: r.width,
    height: r.height,
    box: { x: r.x, y: r.y, w: r.w, h: r.h },
    bodyPart: r.bodyPart,
    side: r.side,
    takenAt: r.takenAt,
    encounterId: r.encounterId,
    encounterCode: r.encounterCode,
    originalName: r.originalName,
  };
}

export function annotationView(catalog: Catalog, annotationId: number): AnnotationView | null {
  const r = catalog.db.prepare(`${ANNOTATION_VIEW_SQL} WHERE a.id = ?`).get(annotationId) as AnnotationViewRow | undefined;
  return r ? toView(r) : null;
}

export function annotationViews(catalog: Catalog, ids: number[]): Map<number, AnnotationView> {
  const out = new Map<number, AnnotationView>();
  if (ids.length === 0) return out;
  const rows = catalog.db.prepare(`${ANNOTATION_VIEW_SQL} WHERE a.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as AnnotationViewRow[];
  for (const r of rows) out.set(r.annotationId, toView(r));
  return out;
}
