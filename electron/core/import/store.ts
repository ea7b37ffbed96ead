import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../store/catalog';
import type { KnownPhoto } from '../store/photos';
import { photoFile } from '../media/media';
import type { ImageInfo } from './inspect';

export type ExistingPhoto = KnownPhoto;

export function findPhoto(catalog: Catalog, sha256: string): ExistingPhoto | undefined {
  return catalog.store.photos.byHash(sha256);
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
  return catalog.store.photos.insert({
    sha256: p.sha256, path: p.path, copied: p.copied, originalName: p.originalName, size: p.size,
    width: p.info.width, height: p.info.height, orientation: p.info.orientation, takenAt: p.info.takenAt, takenAtUtc: p.info.takenAtUtc,
    latitude: p.info.latitude, longitude: p.info.longitude, make: p.info.make, model: p.info.model, importId: p.importId,
  });
}

export function insertWholeImageAnnotation(catalog: Catalog, photoId: number, width: number, height: number, bodyPart: string): number {
  return catalog.store.annotations.createPlaced({ photoId, box: { x: 0, y: 0, w: width, h: height }, bodyPart, source: 'frame' });
}

/**
 * A known photo met again at `file`. When its recorded file is gone, the photo has moved:
 * point it at the new place and clear `missing`. Returns whether it was re-linked. (A copied
 * photo lives in the catalog and is not re-linked; see `copyOriginal` for restoring it.)
 */
export function relinkPhoto(catalog: Catalog, photo: ExistingPhoto, file: string): boolean {
  if (photo.copied) return false;
  if (photo.path === file) {
    if (photo.missing) catalog.store.photos.setMissing(photo.id, false);
    return false;
  }
  if (fs.existsSync(photo.path)) {
    // A second copy of the same bytes: the first path stays (and is evidently there again).
    if (photo.missing) catalog.store.photos.setMissing(photo.id, false);
    return false;
  }
  catalog.store.photos.relink(photo.id, file, path.basename(file));
  return true;
}

/** A copied photo whose copy was lost (or flagged missing) and is whole again. */
export function copiedPhotoLost(catalog: Catalog, photo: ExistingPhoto): boolean {
  return Boolean(photo.copied) && !fs.existsSync(photoFile(catalog, photo));
}
