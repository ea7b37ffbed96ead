import fs from 'node:fs';
import path from 'node:path';
import type { ExportResult } from '../../contract';
import type { Catalog } from '../store/catalog';
import { csvLine } from '../util/csv';
import { replaceAtomicallySync } from '../util/atomic-write';
import { identifiedRows } from './identified';
import type { Progress } from './progress';

/** The sightings CSV columns, in order; the identity import reads the same names back. */
export const sightingsColumns = [
  'occurrence_id',
  'individual_code',
  'individual_name',
  'encounter_code',
  'date_time',
  'latitude',
  'longitude',
  'location',
  'photo_file',
  'photo_sha256',
  'box_x',
  'box_y',
  'box_w',
  'box_h',
  'body_part',
  'side',
  'quality',
  'reviewer',
  'decision_time',
  'model',
  'score',
] as const;

/**
 * One row per identified annotation, UTF-8 with a BOM (so Excel reads accents right), RFC 4180.
 * date_time is the camera's local time with its UTC offset (ISO 8601) when the camera recorded
 * one; without an offset it is written as local time rather than inventing one.
 */
export async function exportSightings(catalog: Catalog, out: string, p: Progress): Promise<ExportResult> {
  const rows = identifiedRows(catalog);
  replaceAtomicallySync(out, (tmp) => {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, `\ufeff${csvLine([...sightingsColumns])}`);
      rows.forEach((r, i) => {
        fs.writeSync(
          fd,
          csvLine([
            r.occurrenceId,
            r.individualCode,
            r.individualName,
            r.encounterCode,
            r.takenAt,
            r.latitude,
            r.longitude,
            r.location,
            r.photoName,
            r.photoSha256,
            r.x,
            r.y,
            r.w,
            r.h,
            r.bodyPart,
            r.side,
            r.quality,
            r.identifiedBy,
            r.identifiedAt,
            r.modelId,
            r.score,
          ]),
        );
        if (i % 500 === 0) p.progress(i, rows.length, 'writing sightings');
      });
    } finally {
      fs.closeSync(fd);
    }
  });
  p.progress(rows.length, rows.length);
  return { kind: 'sightings', out: path.resolve(out), files: [path.resolve(out)], rows: rows.length, photos: new Set(rows.map((r) => r.photoId)).size, skipped: [] };
}
