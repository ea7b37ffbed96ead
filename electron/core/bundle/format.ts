/**
 * A catalog bundle is one zip file:
 *   manifest.json     what this is (format, versions, counts, the database's sha256, media list)
 *   catalog.sqlite    a consistent snapshot of the database (VACUUM INTO), models' weights inside
 *   media/<sha256>.<ext>        photos the catalog copied, and (by default) originals it only referenced
 *   thumbs/...        cached renditions, only when asked for
 *   files/models/...  anything under the catalog's models folder (trained artefacts)
 * A zip rather than one SQLite file because photos are large and already compressed: they are
 * streamed in and out in chunks without passing through SQLite pages or memory, and a person can
 * open the bundle with any unzip tool to rescue a photo. The central directory at the end of a
 * zip makes a truncated copy (an interrupted USB transfer) detectable before anything is read,
 * and every entry's CRC is checked on the way out. Entries are stored (not deflated) and carry
 * Zip64 sizes, so bundles may pass 4 GiB. Every file a merge extracts has a sha256 to match: the
 * database's and the other files' in the manifest, a photo's is its own id. A bundle is read as
 * untrusted input: see bundle-zip.ts for the limits.
 */
export const BUNDLE_FORMAT = 'caudal-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
export const MANIFEST = 'manifest.json';
export const DATABASE = 'catalog.sqlite';

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  schemaVersion: number;
  createdAt: string;
  /** The source catalog's file name, shown in the merge view ("from field-laptop-2"). */
  sourceName: string;
  database: { entry: string; sha256: string; size: number };
  /** Photo content hash -> zip entry of its file. */
  media: Record<string, string>;
  thumbnails: boolean;
  /** Thumbnail and model-file entry -> sha256 of its bytes: what a merge checks them against (absent in early bundles). */
  files?: Record<string, string>;
  counts: Record<string, number>;
}
