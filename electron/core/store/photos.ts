import type { Page, PhotoDetail, PhotoSummary } from '../../contract';
import type { SqliteDb } from './sqlite';
import { statementCache } from './statements';

/** Where a photo's file lies: `path` is inside the catalog's files folder when `copied`. */
export interface PhotoFileRef {
  id: number;
  path: string;
  copied: number;
}

/** A photo with a capture time, as encounter grouping sees it. */
export interface TimedPhotoRow {
  id: number;
  at: string;
  lat: number | null;
  lon: number | null;
  encounter: number | null;
}

/** Photos: the image files in the catalog (sha256, EXIF time, place, camera, missing files). */
export interface PhotoStore {
  /** Photos in capture order (undated ones last, by name); `encounterId: null` = not in any encounter. */
  page(q: { encounterId?: number | null; offset: number; limit: number }): Page<PhotoSummary>;
  /** The photo's fields, without its annotations. */
  detail(id: number): Omit<PhotoDetail, 'annotationList'> | undefined;
  size(id: number): { width: number; height: number } | undefined;
  /** Where the file of a photo lies, with its content hash (for renditions). */
  fileRef(id: number): (PhotoFileRef & { sha256: string }) | undefined;
  /** Every photo's file, with whether it was flagged missing. */
  fileRefs(): Array<PhotoFileRef & { missing: number }>;
  setMissing(id: number, missing: boolean): void;
  /** The photos flagged missing, by path. */
  missingFiles(): PhotoFileRef[];
  /** Photos with a capture time (for grouping them into encounters). */
  timed(): TimedPhotoRow[];
  /** Puts a photo into an encounter unless it is in one already; false when it was. */
  joinEncounterIfNone(photoId: number, encounterId: number): boolean;
  /** The photo's encounter (null: none); undefined when there is no such photo. */
  encounterOf(photoId: number): number | null | undefined;
  moveToEncounter(photoId: number, encounterId: number): void;
  moveAllBetweenEncounters(fromId: number, toId: number): void;
  countInEncounter(encounterId: number): number;
  count(): number;
  /** The photo with these bytes, if the catalog has it. */
  byHash(sha256: string): KnownPhoto | undefined;
  /** Inserts a photo; null when its bytes arrived meanwhile from another path (a duplicate). */
  insert(p: NewPhotoRow): number | null;
  /** Points a photo at a new place (a moved file) and clears `missing`. */
  relink(id: number, file: string, originalName: string): void;
  /** Starts an import (its parameters kept as its source); returns its id. */
  startImport(source: unknown, jobId: number | null): number;
  /** What an import brought in: photos, with a time, with GPS, their encounters, proposed boxes. */
  importCounts(importId: number): { imported: number; withTime: number; withGps: number; encounters: number; proposed: number };
  finishImport(importId: number, at: string, counts: { imported: number; duplicates: number; failed: number }): void;
  /** Every photo's content hash and file (what a bundle may carry). */
  media(): Array<{ sha256: string; path: string; copied: number }>;
}

/** A photo met again at import, by its bytes. */
export interface KnownPhoto extends PhotoFileRef {
  missing: number;
  importId: number | null;
  width: number;
  height: number;
}

/** A photo's row as import writes it. */
export interface NewPhotoRow {
  sha256: string;
  /** Absolute path, or the path inside the catalog's files folder when copied. */
  path: string;
  copied: boolean;
  originalName: string;
  size: number;
  width: number;
  height: number;
  orientation: number | null;
  takenAt: string | null;
  takenAtUtc: string | null;
  latitude: number | null;
  longitude: number | null;
  make: string | null;
  model: string | null;
  importId: number;
}

const SUMMARY = `p.id, p.original_name, p.width, p.height, p.taken_at, p.latitude, p.longitude, p.encounter_id, p.missing,
  (SELECT COUNT(*) FROM annotations a WHERE a.photo_id = p.id) AS n_ann,
  (SELECT COUNT(*) FROM annotations a WHERE a.photo_id = p.id AND a.individual_id IS NOT NULL) AS n_id`;

type SummaryRow = {
  id: number;
  original_name: string;
  width: number;
  height: number;
  taken_at: string | null;
  latitude: number | null;
  longitude: number | null;
  encounter_id: number | null;
  missing: number;
  n_ann: number;
  n_id: number;
};

type DetailRow = SummaryRow & {
  sha256: string;
  path: string;
  copied: number;
  file_size: number | null;
  orientation: number | null;
  taken_at_utc: string | null;
  camera_make: string | null;
  camera_model: string | null;
  import_id: number | null;
};

const toSummary = (r: SummaryRow): PhotoSummary => ({
  id: r.id,
  originalName: r.original_name,
  width: r.width,
  height: r.height,
  takenAt: r.taken_at,
  latitude: r.latitude,
  longitude: r.longitude,
  encounterId: r.encounter_id,
  missing: Boolean(r.missing),
  annotations: r.n_ann,
  identified: r.n_id,
});

export function sqlitePhotoStore(db: SqliteDb): PhotoStore {
  const q = statementCache(db);
  return {
    page({ encounterId, offset, limit }) {
      const where = encounterId === undefined ? '' : encounterId === null ? 'WHERE p.encounter_id IS NULL' : 'WHERE p.encounter_id = @enc';
      const args = encounterId ? { enc: encounterId } : {};
      const total = q(`SELECT COUNT(*) FROM photos p ${where}`).pluck().get(args) as number;
      const rows = q(`SELECT ${SUMMARY} FROM photos p ${where} ORDER BY p.taken_at_utc IS NULL, p.taken_at_utc, p.original_name, p.id LIMIT @limit OFFSET @offset`).all({
        ...args,
        limit,
        offset,
      }) as SummaryRow[];
      return { total, items: rows.map(toSummary) };
    },
    detail(id) {
      const r = q(
        `SELECT ${SUMMARY}, p.sha256, p.path, p.copied, p.file_size, p.orientation, p.taken_at_utc, p.camera_make, p.camera_model, p.import_id FROM photos p WHERE p.id = ?`,
      ).get(id) as DetailRow | undefined;
      if (!r) return undefined;
      return {
        ...toSummary(r),
        sha256: r.sha256,
        path: r.path,
        copied: Boolean(r.copied),
        fileSize: r.file_size,
        orientation: r.orientation,
        takenAtUtc: r.taken_at_utc,
        cameraMake: r.camera_make,
        cameraModel: r.camera_model,
        importId: r.import_id,
      };
    },
    size: (id) => q('SELECT width, height FROM photos WHERE id = ?').get(id) as { width: number; height: number } | undefined,
    fileRef: (id) => q('SELECT id, sha256, path, copied FROM photos WHERE id = ?').get(id) as (PhotoFileRef & { sha256: string }) | undefined,
    fileRefs: () => q('SELECT id, path, copied, missing FROM photos').all() as Array<PhotoFileRef & { missing: number }>,
    setMissing(id, missing) {
      q('UPDATE photos SET missing = ? WHERE id = ?').run(missing ? 1 : 0, id);
    },
    missingFiles: () => q('SELECT id, path, copied FROM photos WHERE missing = 1 ORDER BY path').all() as PhotoFileRef[],
    timed: () =>
      q('SELECT id, taken_at_utc AS at, latitude AS lat, longitude AS lon, encounter_id AS encounter FROM photos WHERE taken_at_utc IS NOT NULL').all() as TimedPhotoRow[],
    joinEncounterIfNone: (photoId, encounterId) => q('UPDATE photos SET encounter_id = ? WHERE id = ? AND encounter_id IS NULL').run(encounterId, photoId).changes > 0,
    encounterOf(photoId) {
      const p = q('SELECT encounter_id FROM photos WHERE id = ?').get(photoId) as { encounter_id: number | null } | undefined;
      return p ? p.encounter_id : undefined;
    },
    moveToEncounter(photoId, encounterId) {
      q('UPDATE photos SET encounter_id = ? WHERE id = ?').run(encounterId, photoId);
    },
    moveAllBetweenEncounters(fromId, toId) {
      q('UPDATE photos SET encounter_id = ? WHERE encounter_id = ?').run(toId, fromId);
    },
    countInEncounter: (encounterId) => q('SELECT COUNT(*) FROM photos WHERE encounter_id = ?').pluck().get(encounterId) as number,
    count: () => q('SELECT COUNT(*) FROM photos').pluck().get() as number,
    byHash: (sha256) => q('SELECT id, path, copied, missing, import_id AS importId, width, height FROM photos WHERE sha256 = ?').get(sha256) as KnownPhoto | undefined,
    insert(p) {
      const r = q(
        `INSERT INTO photos(sha256, path, original_name, file_size, width, height, orientation, taken_at, taken_at_utc,
           latitude, longitude, camera_make, camera_model, import_id, copied)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING`,
      ).run(
        p.sha256, p.path, p.originalName, p.size, p.width, p.height, p.orientation, p.takenAt, p.takenAtUtc,
        p.latitude, p.longitude, p.make, p.model, p.importId, p.copied ? 1 : 0,
      );
      return r.changes ? Number(r.lastInsertRowid) : null;
    },
    relink(id, file, originalName) {
      q('UPDATE photos SET path = ?, original_name = ?, missing = 0 WHERE id = ?').run(file, originalName, id);
    },
    startImport: (source, jobId) => Number(q('INSERT INTO imports(source, job_id) VALUES (?, ?)').run(JSON.stringify(source), jobId).lastInsertRowid),
    importCounts(importId) {
      const count = (where: string) => q(`SELECT COUNT(*) FROM photos WHERE import_id = ? ${where}`).pluck().get(importId) as number;
      return {
        imported: count(''),
        withTime: count('AND taken_at IS NOT NULL'),
        withGps: count('AND latitude IS NOT NULL AND longitude IS NOT NULL'),
        encounters: q('SELECT COUNT(DISTINCT encounter_id) FROM photos WHERE import_id = ?').pluck().get(importId) as number,
        proposed: q("SELECT COUNT(*) FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE p.import_id = ? AND a.source = 'proposed'").pluck().get(importId) as number,
      };
    },
    finishImport(importId, at, c) {
      q('UPDATE imports SET finished_at = ?, imported = ?, duplicates = ?, failed = ? WHERE id = ?').run(at, c.imported, c.duplicates, c.failed, importId);
    },
    media: () => q('SELECT sha256, path, copied FROM photos').all() as Array<{ sha256: string; path: string; copied: number }>,
  };
}
