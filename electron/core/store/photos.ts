import type { SqliteDb } from './sqlite';
import { lazyStatements } from './statements';

/** Photos: the image files in the catalog (sha256, EXIF time, place, camera, missing files). */
export interface PhotoStore {
  count(): number;
}

export function sqlitePhotoStore(db: SqliteDb): PhotoStore {
  const s = lazyStatements(db, { count: 'SELECT COUNT(*) FROM photos' });
  return {
    count: () => s.count().pluck().get() as number,
  };
}
