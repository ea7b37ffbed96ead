import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { MediaKind } from '../../contract';
import { mediaKinds } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { replaceAtomically } from '../util/atomic-write';

/** Long side in pixels of the cached renditions. */
export const renditionSize: Record<Exclude<MediaKind, 'full'>, number> = { thumb: 256, preview: 1600 };

export interface MediaFile {
  file: string;
  mime: string;
}

/**
 * Parses the id-only media address both transports use: `<kind>/<photoId>`. Anything else (a
 * path, `..`, an encoded slash, a non-numeric id) is refused before the catalog is asked.
 */
export function parseMediaPath(p: string): { kind: MediaKind; photoId: number } {
  const m = /^\/?(thumb|preview|full)\/([1-9][0-9]{0,15})$/.exec(p);
  if (!m || !(mediaKinds as readonly string[]).includes(m[1])) throw new UserError(`not a media address: ${JSON.stringify(p)}`, 'forbidden');
  return { kind: m[1] as MediaKind, photoId: Number(m[2]) };
}

export function photoFile(catalog: Catalog, photo: { path: string; copied: number }): string {
  return photo.copied ? path.join(catalog.filesDir, photo.path) : photo.path;
}

export function renditionFile(catalog: Catalog, sha256: string, kind: Exclude<MediaKind, 'full'>): string {
  return path.join(catalog.filesDir, 'thumbs', sha256.slice(0, 2), `${sha256}.${kind}.jpg`);
}

export interface RenditionOptions {
  /** Import refuses damaged files ('truncated'); the media route shows what it can ('none'). */
  failOn?: NonNullable<Parameters<typeof sharp>[1]>['failOn'];
  limitInputPixels?: number;
}

/** Writes a rendition with EXIF orientation applied; shared by import (eagerly) and the media route (lazily). */
export async function writeRendition(input: string | Buffer, dest: string, kind: Exclude<MediaKind, 'full'>, opts: RenditionOptions = {}): Promise<void> {
  const size = renditionSize[kind];
  // Two imports (or an import and the media route) may render the same photo at once: each gets its own temporary name.
  await replaceAtomically(dest, (tmp) =>
    sharp(input, { failOn: opts.failOn ?? 'none', ...(opts.limitInputPixels ? { limitInputPixels: opts.limitInputPixels } : {}) })
      .rotate()
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: kind === 'thumb' ? 78 : 88, mozjpeg: false })
      .toFile(tmp),
  );
}

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

/** The file behind a media address, making a missing rendition on demand. */
export async function resolveMedia(catalog: Catalog, kind: MediaKind, photoId: number): Promise<MediaFile> {
  const photo = catalog.store.photos.fileRef(photoId);
  if (!photo) throw new UserError(`no photo ${photoId}`, 'not-found');
  const original = photoFile(catalog, photo);
  if (kind === 'full') {
    if (!fs.existsSync(original)) throw new UserError(`photo ${photoId} is missing from disk`, 'not-found');
    const mime = MIME[path.extname(original).toLowerCase()];
    // Browsers cannot show TIFF: serve a full-size JPEG rendition instead.
    if (mime && mime !== 'image/tiff') return { file: original, mime };
    const dest = path.join(catalog.filesDir, 'thumbs', photo.sha256.slice(0, 2), `${photo.sha256}.full.jpg`);
    if (!fs.existsSync(dest)) {
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      await sharp(original).rotate().jpeg({ quality: 92 }).toFile(dest);
    }
    return { file: dest, mime: 'image/jpeg' };
  }
  const dest = renditionFile(catalog, photo.sha256, kind);
  if (!fs.existsSync(dest)) {
    if (!fs.existsSync(original)) throw new UserError(`photo ${photoId} is missing from disk and has no cached ${kind}`, 'not-found');
    await writeRendition(original, dest, kind);
  }
  return { file: dest, mime: 'image/jpeg' };
}
