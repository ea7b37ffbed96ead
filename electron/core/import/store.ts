import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../store/catalog';
import { photoFile } from '../media/media';
import type { ImageInfo } from './inspect';

export interface ExistingPhoto {
  id: number;
  path: string;
  copied: number;
  missing: number;
  import_id: number | null;
  width: number;
  height: number;
}

export function findPhoto(catalog: Catalog, sha256: string): ExistingPhoto | undefined {
  return catalog.db.prepare('SELECT id, path, copied, missing, import_id, width, height FROM photos WHERE sha256 = ?').get(sha256) as
    | ExistingPhoto
    | undefined;
}

export interface NewPhoto {
  sha256: string;
  /** Absolute path, or the path inside the catalog's files folder when copied. */
  path: string;
  copied: boolean;
  originalName: string;
  size: number;
  info: ImageInfo;
  importId: number;
}

/** Inserts a photo; null when its bytes arrived meanwhile from another path (a duplicate). */
export function insertPhoto(catalog: Catalog, p: NewPhoto): number | null {
  const r = catalog.db
    .prepare(
      `INSERT INTO photos(sha256, path, original_name, file_size, width, height, orientation, taken_at, taken_at_utc,
         latitude, longitude, camera_make, camera_model, import_id, copied)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING`,
    )
    .run(
      p.sha256, p.path, p.originalName, p.size, p.info.width, p.info.height, p.info.orientation, p.info.takenAt, p.info.takenAtUtc,
      p.info.latitude, p.info.longitude, p.info.make, p.info.model, p.importId, p.copied ? 1 : 0,
    );
  return r.changes ? Number(r.lastInsertRowid) : null;
}

export function insertWholeImageAnnotation(catalog: Catalog, photoId: number, width: number, height: number, bodyPart: string): number {
  return Number(
    catalog.db.prepare("INSERT INTO annotations(photo_id, x, y, w, h, body_part, source) VALUES (?, 0, 0, ?, ?, ?, 'frame')").run(photoId, width, height, bodyPart).lastInsertRowid,
  );
}

/**
 * A known photo met again at `file`. When its recorded file is gone, the photo has moved:
 * point it at the new place and clear `missing`. Returns whether it was re-linked. (A copied
 * photo lives in the catalog and is not re-linked; see `copyOriginal` for restoring it.)
 */
export function relinkPhoto(catalog: Catalog, photo: ExistingPhoto, file: string): boolean {
  if (photo.copied) return false;
  if (photo.path === file) {
    if (photo.missing) catalog.db.prepare('UPDATE photos SET missing = 0 WHERE id = ?').run(photo.id);
    return false;
  }
  if (fs.existsSync(photo.path)) {
    // A second copy of the same bytes: the first path stays (and is evidently there again).
    if (photo.missing) catalog.db.prepare('UPDATE photos SET missing = 0 WHERE id = ?').run(photo.id);
    return false;
  }
  catalog.db.prepare('UPDATE photos SET path = ?, original_name = ?, missing = 0 WHERE id = ?').run(file, path.basename(file), photo.id);
  return true;
}

/** A copied photo whose copy was lost (or flagged missing) and is whole again. */
export function copiedPhotoLost(catalog: Catalog, photo: ExistingPhoto): boolean {
  return Boolean(photo.copied) && !fs.existsSync(photoFile(catalog, photo));
}
