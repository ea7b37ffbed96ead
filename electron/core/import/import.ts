import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportFailure, ImportParams, ImportReport } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { groupEncounters } from '../encounters/group';
import { CancelledError } from '../jobs/runner';
import { nowIso } from '../util/time';
import { proposeAnnotationBoxes } from '../vision/propose-annotations';
import { applyLabelRows, type LabelTally } from './apply-labels';
import { copyOriginal } from './copy';
import { inspectImage } from './inspect';
import { readLabels, type LabelRow, type Labels } from './labels';
import { readPhotoBytes } from './read-file';
import { makeRenditions } from './renditions';
import { errText, UserError } from '../util/errors';
import { scanPaths } from './scan';
import { copiedPhotoLost, findPhoto, insertPhoto, insertWholeImageAnnotation, relinkPhoto } from './store';

export interface ImportHooks {
  signal?: AbortSignal;
  /** Called after each file (cheap; throttle downstream). */
  progress?(done: number, total: number, file: string | null): void;
  /** Continue an interrupted import (its photos count as imported, not as duplicates). */
  importId?: number;
  jobId?: number;
  /** The import's id, as soon as it exists (a job saves it as its checkpoint). */
  started?(importId: number): void;
  /** After each photo is committed (for UI refresh, throttled by the caller). */
  committed?(): void;
}

/**
 * Files in flight at once: enough to keep every core decoding (sharp runs each pipeline on
 * libuv's pool) while the main thread hashes the next file and commits the last.
 */
const inFlight = () => Math.max(2, Math.min(6, os.availableParallelism() + 1));

/**
 * Imports photo files and folders into a catalog. Each photo is committed in its own transaction
 * after its thumbnails (and copy) are on disk, so a crash or kill leaves whole photos only, and
 * running the same import again finishes the rest. Bad files are reported and never stop the others.
 */
export async function importPhotos(catalog: Catalog, params: ImportParams, hooks: ImportHooks = {}): Promise<ImportReport> {
  const store = catalog.store;
  if (!Array.isArray(params.paths) || (!params.paths.length && !params.labels)) {
    throw new UserError('nothing to import: give one or more files or folders (or a labels CSV)', 'usage');
  }
  const labels = params.labels ? readLabels(params.labels) : null;
  const scan = scanPaths(params.paths, new Set(labels ? [labels.csv] : []));
  const failed: Array<ImportFailure & { order: number }> = scan.failed.map((f) => ({ ...f, order: -1 }));
  const files = [...scan.files];
  const outside: string[] = [];
  const roots = [...params.paths, ...(labels ? [path.dirname(labels.csv)] : [])].map((p) => path.resolve(p));
  const rowsByFile = labels ? attachLabels(labels, files, failed, (f) => !roots.some((r) => f === r || f.startsWith(r + path.sep)) && outside.push(f)) : new Map<string, LabelRow[]>();

  const importId = hooks.importId ?? store.photos.startImport(params, hooks.jobId ?? null);
  hooks.started?.(importId);
  const bodyPart = getSetting(catalog, 'bodyPart');
  const tally: LabelTally = { identified: 0, individualsCreated: 0 };
  const seen = new Set<string>();
  let duplicates = 0;
  let relinked = 0;
  let done = 0;

  const one = async (file: string, order: number): Promise<void> => {
    const fail = (error: string): void => {
      failed.push({ file, error, order });
    };
    let bytes;
    try {
      bytes = await readPhotoBytes(file);
    } catch (e) {
      return fail(e instanceof Error && !('code' in e) ? e.message : `cannot read: ${errText(e)}`);
    }
    const rows = rowsByFile.get(file) ?? [];
    const firstSighting = !seen.has(bytes.sha256);
    seen.add(bytes.sha256);
    const known = findPhoto(catalog, bytes.sha256);
    if (known) {
      // Met again: a duplicate, unless this very import committed it before it was interrupted.
      if (!(known.importId === importId && firstSighting)) duplicates++;
      try {
        if (copiedPhotoLost(catalog, known)) {
          await copyOriginal(catalog, bytes.sha256, path.extname(known.path), bytes.input, bytes.size);
          store.photos.setMissing(known.id, false);
          relinked++;
        }
      } catch (e) {
        return fail((e as Error).message);
      }
      store.transaction(() => {
        if (relinkPhoto(catalog, known, file)) relinked++;
        if (labels && rows.length) failed.push(...tag(asLabelRows(applyLabelRows(catalog, known, rows, labels, bodyPart, tally)), order));
      });
      return;
    }
    try {
      const info = await inspectImage(bytes.input);
      await makeRenditions(catalog, bytes.sha256, bytes.input, info);
      const stored = params.copy ? await copyOriginal(catalog, bytes.sha256, info.ext, bytes.input, bytes.size) : file;
      hooks.signal?.throwIfAborted();
      store.transaction(() => {
        const id = insertPhoto(catalog, {
          sha256: bytes.sha256, path: stored, copied: Boolean(params.copy), originalName: path.basename(file), size: bytes.size, info, importId,
        });
        if (id === null) {
          duplicates++; // the same bytes from another path, committed while this one was decoding
          return;
        }
        if (labels && rows.length) failed.push(...tag(asLabelRows(applyLabelRows(catalog, { id, width: info.width, height: info.height }, rows, labels, bodyPart, tally)), order));
        // Every photo has at least one annotation: the whole image, until someone draws boxes.
        if (!store.annotations.hasAnyOnPhoto(id)) insertWholeImageAnnotation(catalog, id, info.width, info.height, bodyPart);
      });
      hooks.committed?.();
    } catch (e) {
      if (hooks.signal?.aborted) return;
      fail((e as Error).message);
    }
  };

  hooks.progress?.(0, files.length, null);
  let next = 0;
  const worker = async () => {
    while (next < files.length && !hooks.signal?.aborted) {
      const order = next++;
      await one(files[order], order);
      done++;
      hooks.progress?.(done, files.length, files[order]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight(), files.length) }, worker));

  // Even a cancelled import leaves its committed photos grouped, as a finished one would.
  groupEncounters(catalog, { gapMinutes: getSetting(catalog, 'encounterGapMinutes'), maxKm: getSetting(catalog, 'encounterMaxKm') });
  if (hooks.signal?.aborted) throw new CancelledError();
  // Boxes last: the photos are all in the catalog (and shown) while the proposer looks at them.
  const proposals = await proposeAnnotationBoxes(catalog, { importId, signal: hooks.signal });
  if (hooks.signal?.aborted) throw new CancelledError();

  failed.sort((a, b) => a.order - b.order || naturally.compare(a.file, b.file));
  const counts = store.photos.importCounts(importId);
  const report: ImportReport = {
    importId,
    imported: counts.imported,
    duplicates,
    relinked,
    failed: failed.map(({ file, error, labelRow }) => ({ file, error, ...(labelRow !== undefined ? { labelRow } : {}) })),
    withTime: counts.withTime,
    withGps: counts.withGps,
    encounters: counts.encounters,
    labels: labels ? { rows: labels.rows.length, ...tally } : null,
    outside,
    proposed: counts.proposed,
    proposalsUnavailable: proposals.unavailable,
  };
  store.photos.finishImport(importId, nowIso(), { imported: report.imported, duplicates: report.duplicates, failed: report.failed.length });
  return report;
}

const naturally = new Intl.Collator(undefined, { numeric: true });
const tag = (fs: ImportFailure[], order: number) => fs.map((f) => ({ ...f, order }));
/** Label failures name `CSV:LINE`; marking them keeps photo and label-row counts apart. */
const asLabelRows = (fs: ImportFailure[]): ImportFailure[] => fs.map((f) => ({ ...f, labelRow: f.labelRow ?? (Number(/:(\d+)$/.exec(f.file)?.[1]) || 0) }));

/**
 * Label rows by the file they name. A named image outside the given folders is imported too, and
 * told to `reachedOutside` (a `../` in a labels file must not bring in photos unannounced); a
 * bare file name that is not beside the CSV is looked up among the scanned files (Kaggle's
 * train.csv names `0000e88ab.jpg` while the photos sit in train/).
 */
function attachLabels(labels: Labels, files: string[], failed: Array<ImportFailure & { order: number }>, reachedOutside: (file: string) => void): Map<string, LabelRow[]> {
  failed.push(...asLabelRows(labels.failed).map((f) => ({ ...f, order: -1 })));
  const inScan = new Set(files);
  const byBase = new Map<string, string | null>();
  for (const f of files) {
    const b = path.basename(f).toLowerCase();
    byBase.set(b, byBase.has(b) ? null : f);
  }
  const rows = new Map<string, LabelRow[]>();
  for (const row of labels.rows) {
    let file: string | null = row.file;
    if (!inScan.has(file)) {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (st?.isFile()) {
        files.push(file);
        inScan.add(file);
        reachedOutside(file);
      } else {
        file = !row.image.includes('/') && !row.image.includes('\\') ? (byBase.get(row.image.toLowerCase()) ?? null) : null;
      }
    }
    if (!file) {
      failed.push({ file: `${labels.csv}:${row.line}`, error: `line ${row.line}: image ${row.image} not found (looked for ${row.file})`, labelRow: row.line, order: -1 });
      continue;
    }
    rows.set(file, [...(rows.get(file) ?? []), row]);
  }
  return rows;
}
