/**
 * A catalog bundle is one zip file:
 *   manifest.json     what this is (format, versions, counts, the database's sha256, media list)
 *   catalog.sqlite    a consistent snapshot of the database (VACUUM INTO), models' weights inside
 *   media/<sha256>.<ext>        photos the catalog copied, and (by default) originals it only referenced
 *   thumbs/...        cached renditions, only when asked for
 *   files/models/...  anything under the catalog's models folder (trained artefacts)
 * A zip rather than one SQLite file because photos are already compressed and large: they are
 * stored as-is and streamed, while the database is deflated; a person can also open the bundle
 * with any unzip tool to rescue a photo. The central directory at the end of a zip makes a
 * truncated copy (an interrupted USB transfer) detectable before anything is read.
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
  counts: Record<string, number>;
}
