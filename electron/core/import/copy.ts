import fs from 'node:fs';
import path from 'node:path';
import { writeAtomically } from '../util/atomic-write';
import type { Catalog } from '../store/catalog';

/** Where a copied original lives, relative to the catalog's files folder (what photos.path stores). */
export const copiedPath = (sha256: string, ext: string): string => path.posix.join('media', sha256.slice(0, 2), `${sha256}${ext}`);

/**
 * Copies an original into the catalog's media folder, named by its hash so two cards with an
 * IMG_0001.JPG each never collide. Written to a temporary name and renamed, so a kill leaves
 * either no copy or a whole one; a whole one already there is kept.
 */
export async function copyOriginal(catalog: Catalog, sha256: string, ext: string, input: Buffer | string, size: number): Promise<string> {
  const rel = copiedPath(sha256, ext);
  const dest = path.join(catalog.filesDir, rel);
  const existing = fs.statSync(dest, { throwIfNoEntry: false });
  if (existing?.size === size) return rel;
  try {
    await writeAtomically(dest, input);
  } catch (e) {
    throw new Error(`cannot copy into the catalog: ${(e as Error).message}`);
  }
  return rel;
}
