import fs from 'node:fs';
import type { Catalog } from '../store/catalog';
import { photoFile } from '../media/media';

/**
 * Flags photos whose file is gone (an unplugged drive, a renamed folder) and unflags those that
 * are back. Never deletes: the catalog's annotations and identities outlive a missing file, and
 * importing the file again from its new place re-links it.
 */
export function checkMissing(catalog: Catalog): { checked: number; missing: number } {
  const store = catalog.store;
  const photos = store.photos.fileRefs();
  // Look at the disk first: the write transaction stays short however slow the drive is.
  const gone = photos.map((p) => (fs.existsSync(photoFile(catalog, p)) ? 0 : 1));
  store.transaction(() => {
    photos.forEach((p, i) => {
      if (gone[i] !== p.missing) store.photos.setMissing(p.id, gone[i] === 1);
    });
  });
  const missing = gone.reduce<number>((n, g) => n + g, 0);
  return { checked: photos.length, missing };
}
