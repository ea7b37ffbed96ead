import type { SqliteDb } from './sqlite';

/** Photos: the image files in the catalog (sha256, EXIF time, place, camera, missing files). */
export interface PhotoStore {}

export function sqlitePhotoStore(_db: SqliteDb): PhotoStore {
  return {};
}
