import type { Annotation, AnnotationFields, AnnotationSource, Box } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { UserError } from '../util/errors';

const SELECT = `SELECT a.id, a.photo_id, a.x, a.y, a.w, a.h, a.source, a.body_part, a.side, a.quality, a.individual_id, i.code AS individual_code,
  a.identified_by, a.identified_at FROM annotations a LEFT JOIN individuals i ON i.id = a.individual_id`;

type Row = {
  id: number;
  photo_id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  source: AnnotationSource;
  body_part: string;
  side: string | null;
  quality: number | null;
  individual_id: number | null;
  individual_code: string | null;
  identified_by: string | null;
  identified_at: string | null;
};

const toAnnotation = (r: Row): Annotation => ({
  id: r.id,
  photoId: r.photo_id,
  x: r.x,
  y: r.y,
  w: r.w,
  h: r.h,
  source: r.source,
  bodyPart: r.body_part,
  side: r.side,
  quality: r.quality,
  individualId: r.individual_id,
  individualCode: r.individual_code,
  identifiedBy: r.identified_by,
  identifiedAt: r.identified_at,
});

export function annotationsOfPhoto(catalog: Catalog, photoId: number): Annotation[] {
  return (catalog.db.prepare(`${SELECT} WHERE a.photo_id = ? ORDER BY a.id`).all(photoId) as Row[]).map(toAnnotation);
}

export function getAnnotation(catalog: Catalog, id: number): Annotation {
  const r = catalog.db.prepare(`${SELECT} WHERE a.id = ?`).get(id) as Row | undefined;
  if (!r) throw new UserError(`no annotation ${id}`, 'not-found');
  return toAnnotation(r);
}

function photoSize(catalog: Catalog, photoId: number): { width: number; height: number } {
  const p = catalog.db.prepare('SELECT width, height FROM photos WHERE id = ?').get(photoId) as { width: number; height: number } | undefined;
  if (!p) throw new UserError(`no photo ${photoId}`, 'not-found');
  return p;
}

/** A box must lie on the photo (displayed pixels) and have an area; it is clipped to the edges it overshoots by a rounding. */
export function checkBox(box: Box, size: { width: number; height: number }): Box {
  const { x, y, w, h } = box ?? ({} as Box);
  if (![x, y, w, h].every((v) => typeof v === 'number' && Number.isFinite(v))) throw new UserError('box: x, y, w and h must be numbers', 'bad-request');
  if (w < 1 || h < 1) throw new UserError(`box: width and height must be at least 1 pixel (got ${w} x ${h})`, 'bad-request');
  if (x < -1 || y < -1 || x + w > size.width + 1 || y + h > size.height + 1) {
    throw new UserError(`box ${x},${y},${w},${h} lies outside the ${size.width} x ${size.height} photo`, 'bad-request');
  }
  const cx = Math.max(0, x);
  const cy = Math.max(0, y);
  return { x: cx, y: cy, w: Math.min(w - (cx - x), size.width - cx), h: Math.min(h - (cy - y), size.height - cy) };
}

function checkFields(f: AnnotationFields): void {
  if (f.quality !== undefined && f.quality !== null && !(Number.isInteger(f.quality) && f.quality >= 1 && f.quality <= 5)) {
    throw new UserError(`quality must be 1-5 (got ${f.quality})`, 'bad-request');
  }
  if (f.bodyPart !== undefined && (typeof f.bodyPart !== 'string' || !f.bodyPart.trim())) throw new UserError('bodyPart must be a non-empty text', 'bad-request');
  if (f.side !== undefined && f.side !== null && typeof f.side !== 'string') throw new UserError('side must be a text or null', 'bad-request');
}

export function createAnnotation(catalog: Catalog, p: { photoId: number; box: Box } & AnnotationFields): Annotation {
  checkFields(p);
  const box = checkBox(p.box, photoSize(catalog, p.photoId));
  const id = catalog.db
    .prepare('INSERT INTO annotations(photo_id, x, y, w, h, body_part, side, quality) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(p.photoId, box.x, box.y, box.w, box.h, p.bodyPart ?? getSetting(catalog, 'bodyPart'), p.side || null, p.quality ?? null).lastInsertRowid;
  return getAnnotation(catalog, Number(id));
}

/**
 * A moved box drops that annotation's embeddings and features (a schema trigger): they described
 * another crop. A box a person moved is a person's box, whatever placed it first.
 */
export function updateAnnotation(catalog: Catalog, p: { id: number; box?: Box } & AnnotationFields): Annotation {
  const current = getAnnotation(catalog, p.id);
  checkFields(p);
  const box = p.box ? checkBox(p.box, photoSize(catalog, current.photoId)) : current;
  catalog.db
    .prepare('UPDATE annotations SET x = ?, y = ?, w = ?, h = ?, source = ?, body_part = ?, side = ?, quality = ? WHERE id = ?')
    .run(
      box.x, box.y, box.w, box.h,
      p.box ? 'person' : current.source,
      p.bodyPart ?? current.bodyPart,
      p.side === undefined ? current.side : p.side || null,
      p.quality === undefined ? current.quality : p.quality,
      p.id,
    );
  return getAnnotation(catalog, p.id);
}

/** A proposed (or whole-frame) box kept as it is: from now on a person's box, never replaced by Caudal. */
export function acceptAnnotation(catalog: Catalog, id: number): Annotation {
  getAnnotation(catalog, id);
  catalog.db.prepare("UPDATE annotations SET source = 'person' WHERE id = ?").run(id);
  return getAnnotation(catalog, id);
}

/** Deleting keeps the review log whole: an annotation someone made decisions about stays. */
export function deleteAnnotation(catalog: Catalog, id: number): { deleted: number } {
  const a = getAnnotation(catalog, id);
  const decisions = catalog.db.prepare('SELECT COUNT(*) FROM decisions WHERE annotation_id = ?').pluck().get(id) as number;
  if (decisions) {
    throw new UserError(`annotation ${id} has ${decisions} review decision(s)${a.individualCode ? ` (identified as ${a.individualCode})` : ''}; the review log keeps it, so it cannot be deleted`, 'conflict');
  }
  catalog.db.prepare('DELETE FROM annotations WHERE id = ?').run(id);
  return { deleted: id };
}
