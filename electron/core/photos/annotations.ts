import type { Annotation, AnnotationFields, Box } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { UserError } from '../util/errors';

export function annotationsOfPhoto(catalog: Catalog, photoId: number): Annotation[] {
  return catalog.store.annotations.ofPhoto(photoId);
}

export function getAnnotation(catalog: Catalog, id: number): Annotation {
  const a = catalog.store.annotations.byId(id);
  if (!a) throw new UserError(`no annotation ${id}`, 'not-found');
  return a;
}

function photoSize(catalog: Catalog, photoId: number): { width: number; height: number } {
  const p = catalog.store.photos.size(photoId);
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
  const id = catalog.store.annotations.create({
    photoId: p.photoId,
    box,
    bodyPart: p.bodyPart ?? getSetting(catalog, 'bodyPart'),
    side: p.side || null,
    quality: p.quality ?? null,
  });
  return getAnnotation(catalog, id);
}

/**
 * A moved box drops that annotation's embeddings and features (a schema trigger): they described
 * another crop. A box a person moved is a person's box, whatever placed it first.
 */
export function updateAnnotation(catalog: Catalog, p: { id: number; box?: Box } & AnnotationFields): Annotation {
  const current = getAnnotation(catalog, p.id);
  checkFields(p);
  const box = p.box ? checkBox(p.box, photoSize(catalog, current.photoId)) : current;
  catalog.store.annotations.update(p.id, {
    box: { x: box.x, y: box.y, w: box.w, h: box.h },
    source: p.box ? 'person' : current.source,
    bodyPart: p.bodyPart ?? current.bodyPart,
    side: p.side === undefined ? current.side : p.side || null,
    quality: p.quality === undefined ? current.quality : p.quality,
  });
  return getAnnotation(catalog, p.id);
}

/** A proposed (or whole-frame) box kept as it is: from now on a person's box, never replaced by Caudal. */
export function acceptAnnotation(catalog: Catalog, id: number): Annotation {
  getAnnotation(catalog, id);
  catalog.store.annotations.markPersons(id);
  return getAnnotation(catalog, id);
}

/** Deleting keeps the review log whole: an annotation someone made decisions about stays. */
export function deleteAnnotation(catalog: Catalog, id: number): { deleted: number } {
  const a = getAnnotation(catalog, id);
  const decisions = catalog.store.decisions.countFor(id);
  if (decisions) {
    throw new UserError(`annotation ${id} has ${decisions} review decision(s)${a.individualCode ? ` (identified as ${a.individualCode})` : ''}; the review log keeps it, so it cannot be deleted`, 'conflict');
  }
  catalog.store.annotations.delete(id);
  return { deleted: id };
}
