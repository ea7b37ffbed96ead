import type { Page, PhotoDetail, PhotoSummary } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { annotationsOfPhoto } from './annotations';

const SUMMARY = `p.id, p.original_name, p.width, p.height, p.taken_at, p.latitude, p.longitude, p.encounter_id, p.missing,
  (SELECT COUNT(*) FROM annotations a WHERE a.photo_id = p.id) AS n_ann,
  (SELECT COUNT(*) FROM annotations a WHERE a.photo_id = p.id AND a.individual_id IS NOT NULL) AS n_id`;

type SummaryRow = {
  id: number;
  original_name: string;
  width: number;
  height: number;
  taken_at: string | null;
  latitude: number | null;
  longitude: number | null;
  encounter_id: number | null;
  missing: number;
  n_ann: number;
  n_id: number;
};

const toSummary = (r: SummaryRow): PhotoSummary => ({
  id: r.id,
  originalName: r.original_name,
  width: r.width,
  height: r.height,
  takenAt: r.taken_at,
  latitude: r.latitude,
  longitude: r.longitude,
  encounterId: r.encounter_id,
  missing: Boolean(r.missing),
  annotations: r.n_ann,
  identified: r.n_id,
});

/** Photos in capture order (undated ones last, by name); `encounterId: null` = not in any encounter. */
export function listPhotos(catalog: Catalog, q: { encounterId?: number | null; offset?: number; limit?: number } = {}): Page<PhotoSummary> {
  const limit = Math.max(1, Math.min(1000, Math.floor(q.limit ?? 100)));
  const offset = Math.max(0, Math.floor(q.offset ?? 0));
  const where = q.encounterId === undefined ? '' : q.encounterId === null ? 'WHERE p.encounter_id IS NULL' : 'WHERE p.encounter_id = @enc';
  const args = q.encounterId ? { enc: q.encounterId } : {};
  const total = catalog.db.prepare(`SELECT COUNT(*) FROM photos p ${where}`).pluck().get(args) as number;
  const rows = catalog.db
    .prepare(`SELECT ${SUMMARY} FROM photos p ${where} ORDER BY p.taken_at_utc IS NULL, p.taken_at_utc, p.original_name, p.id LIMIT @limit OFFSET @offset`)
    .all({ ...args, limit, offset }) as SummaryRow[];
  return { total, items: rows.map(toSummary) };
}

export function getPhoto(catalog: Catalog, id: number): PhotoDetail {
  const r = catalog.db
    .prepare(`SELECT ${SUMMARY}, p.sha256, p.path, p.copied, p.file_size, p.orientation, p.taken_at_utc, p.camera_make, p.camera_model, p.import_id FROM photos p WHERE p.id = ?`)
    .get(id) as
    | (SummaryRow & {
        sha256: string;
        path: string;
        copied: number;
        file_size: number | null;
        orientation: number | null;
        taken_at_utc: string | null;
        camera_make: string | null;
        camera_model: string | null;
        import_id: number | null;
      })
    | undefined;
  if (!r) throw new UserError(`no photo ${id}`, 'not-found');
  return {
    ...toSummary(r),
    sha256: r.sha256,
    path: r.path,
    copied: Boolean(r.copied),
    fileSize: r.file_size,
    orientation: r.orientation,
    takenAtUtc: r.taken_at_utc,
    cameraMake: r.camera_make,
    cameraModel: r.camera_model,
    importId: r.import_id,
    annotationList: annotationsOfPhoto(catalog, id),
  };
}
