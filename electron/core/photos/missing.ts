import fs from 'node:fs';
import type { Catalog } from '../store/catalog';
import { photoFile } from '../media/media';

/**
 * Flags photos whose file is gone (an unplugged drive, a renamed folder) and unflags those that
 * are back. Never deletes: the catalog's annotations and identities outlive a missing file, and
 * importing the file again from its new place re-links it.
 */
export function checkMissing(catalog: Catalog): { checked: number; missing: number } {
  const photos = catalog.db.prepare('SELECT id, path, copied, missing FROM photos').all() as Array<{ id: number; path: string; copied: number; missing: number }>;
  const set = catalog.db.prepare('UPDATE photos SET missing = ? WHERE id = ?');
  // Look at the disk first: the write transaction stays short however slow the drive is.
  const gone = photos.map((p) => (fs.existsSync(photoFile(catalog, p)) ? 0 : 1));
  catalog.db.transaction(() => {
    photos.forEach((p, i) => {
      if (gone[i] !== p.missing) set.run(gone[i], p.id);
    });
  })();
  const missing = gone.reduce<number>((n, g) => n + g, 0);
  return { checked: photos.length, missing };
}
