import type { Page, PhotoDetail, PhotoSummary } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { annotationsOfPhoto } from './annotations';

/** Photos in capture order (undated ones last, by name); `encounterId: null` = not in any encounter. */
export function listPhotos(catalog: Catalog, q: { encounterId?: number | null; offset?: number; limit?: number } = {}): Page<PhotoSummary> {
  const limit = Math.max(1, Math.min(1000, Math.floor(q.limit ?? 100)));
  const offset = Math.max(0, Math.floor(q.offset ?? 0));
  return catalog.store.photos.page({ encounterId: q.encounterId, offset, limit });
}

export function getPhoto(catalog: Catalog, id: number): PhotoDetail {
  const p = catalog.store.photos.detail(id);
  if (!p) throw new UserError(`no photo ${id}`, 'not-found');
  return { ...p, annotationList: annotationsOfPhoto(catalog, id) };
}
