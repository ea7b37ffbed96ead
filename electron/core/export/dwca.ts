import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExportOptions, ExportResult } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { identifiedRows, sourceFile, type IdentifiedRow } from './identified';
import { emlXml, metaXml } from './dwca-meta';
import { licenceUrls, multimediaColumns, occurrenceColumns } from './dwca-terms';
import { breathe, type Progress } from './progress';
import { ZipFileWriter } from './zip-write';

/** Said by every export that would name the species: nothing is guessed for a catalog that never said. */
export const noSpeciesWarning = "this catalog has no species set, so no scientific name was written (set it in Settings, or `caudal settings --species 'Genus species'`)";

/** ISO 8601 date or date-time, with optional fraction and offset: what eventDate may hold. */
export const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const cell = (v: unknown): string => (v === null || v === undefined ? '' : String(v).replace(/[\t\r\n]+/g, ' '));
const line = (vals: unknown[]): string => `${vals.map(cell).join('\t')}\n`;
const mimeOf = (name: string): string =>
  ({ '.png': 'image/png', '.tif': 'image/tiff', '.tiff': 'image/tiff', '.webp': 'image/webp' })[path.extname(name).toLowerCase()] ?? 'image/jpeg';

/**
 * A Darwin Core Archive for GBIF and OBIS: occurrence core (one record per identified
 * annotation) and the Simple Multimedia extension for its photo.
 *
 * basisOfRecord is HumanObservation: every identification in a catalog was confirmed by a
 * person on the review screen (the model only ranks candidates) and the photos are taken by
 * people, so the record is a human observation documented by a photograph; MachineObservation
 * is for autonomous sensors (camera traps, hydrophones) whose output is the record itself.
 */
export async function exportDwca(catalog: Catalog, out: string, opts: ExportOptions, p: Progress): Promise<ExportResult> {
  const species = getSetting(catalog, 'species');
  const scientificNameID = getSetting(catalog, 'scientificNameID');
  const licence = getSetting(catalog, 'licence');
  const institution = getSetting(catalog, 'institution');
  const title = getSetting(catalog, 'datasetTitle');
  const reviewer = getSetting(catalog, 'reviewer');
  const licenceValue = licenceUrls[licence]?.url ?? licence;
  const base = opts.mediaBaseUrl?.replace(/\/+$/, '');

  const skipped: ExportResult['skipped'] = [];
  const warnings = species ? [] : [noSpeciesWarning];
  const rows: IdentifiedRow[] = [];
  for (const r of identifiedRows(catalog)) {
    if (!r.takenAt || !ISO_8601.test(r.takenAt)) {
      skipped.push({ what: r.photoName, reason: 'no date for eventDate: the photo has no capture time and its encounter no date', photoId: r.photoId, encounterId: r.encounterId, cause: 'no-date' });
    } else rows.push(r);
  }

  const mediaName = (r: IdentifiedRow) => `media/${r.photoSha256}${path.extname(r.photoName).toLowerCase() || '.jpg'}`;
  const mediaRef = (r: IdentifiedRow) => (base ? `${base}/${path.basename(mediaName(r))}` : mediaName(r));

  let occ = line(occurrenceColumns.map(([h]) => h));
  let mm = line(multimediaColumns.map(([h]) => h));
  for (const r of rows) {
    const values: Record<string, unknown> = {
      occurrenceID: r.occurrenceId,
      basisOfRecord: 'HumanObservation',
      occurrenceStatus: 'present',
      individualCount: 1,
      eventID: r.encounterCode ?? (r.encounterId ? `caudal:encounter:${r.encounterId}` : ''),
      eventDate: r.takenAt,
      decimalLatitude: r.latitude,
      decimalLongitude: r.longitude,
      geodeticDatum: r.latitude !== null ? 'WGS84' : '',
      locality: r.location,
      scientificName: species,
      scientificNameID,
      kingdom: 'Animalia',
      taxonRank: species ? 'species' : '',
      organismID: r.individualCode,
      organismName: r.individualName,
      sex: r.sex && r.sex !== 'unknown' ? r.sex : '',
      recordedBy: r.observer,
      identifiedBy: r.identifiedBy ?? reviewer,
      dateIdentified: r.identifiedAt,
      identificationRemarks: r.modelId ? `photo-identification; candidate ranked by model ${r.modelId}${r.score !== null ? ` (score ${r.score.toFixed(3)})` : ''}` : 'photo-identification',
      associatedMedia: mediaRef(r),
      institutionCode: institution,
      datasetName: title,
      license: licenceValue,
    };
    occ += line(occurrenceColumns.map(([h]) => values[h]));
    const media: Record<string, unknown> = {
      occurrenceID: r.occurrenceId,
      type: 'StillImage',
      format: mimeOf(r.photoName),
      identifier: mediaRef(r),
      title: r.photoName,
      created: r.takenAt,
      creator: r.observer,
      license: licenceValue,
      rightsHolder: institution,
    };
    mm += line(multimediaColumns.map(([h]) => media[h]));
  }

  const lats = rows.filter((r) => r.latitude !== null && r.longitude !== null);
  const dates = rows.map((r) => r.takenAt!).sort();
  const zip = new ZipFileWriter(path.resolve(out));
  let photos = 0;
  try {
    zip.addBuffer('meta.xml', metaXml(true));
    zip.addBuffer(
      'eml.xml',
      emlXml({
        title,
        institution,
        creator: reviewer,
        licence,
        species,
        pubDate: new Date().toISOString().slice(0, 10),
        packageId: `caudal-${crypto.createHash('sha256').update(catalog.file).digest('hex').slice(0, 16)}`,
        begin: dates[0],
        end: dates[dates.length - 1],
        bbox: lats.length
          ? {
              west: Math.min(...lats.map((r) => r.longitude!)),
              east: Math.max(...lats.map((r) => r.longitude!)),
              north: Math.max(...lats.map((r) => r.latitude!)),
              south: Math.min(...lats.map((r) => r.latitude!)),
            }
          : null,
      }),
    );
    zip.addBuffer('occurrence.txt', occ);
    zip.addBuffer('multimedia.txt', mm);
    if (!base) {
      const done = new Set<string>();
      const total = new Set(rows.map((x) => x.photoSha256)).size;
      for (const r of rows) {
        const name = mediaName(r);
        if (done.has(name)) continue;
        done.add(name);
        const src = sourceFile(catalog, r);
        if (!fs.existsSync(src)) {
          skipped.push({ what: r.photoName, reason: `photo file missing at ${src}; its record points to a file not in the archive`, photoId: r.photoId, cause: 'missing-file' });
          continue;
        }
        await zip.addFile(name, src);
        photos++;
        p.throwIfCancelled();
        p.progress(done.size, total, 'packing photos');
        await breathe();
      }
    }
    await zip.finish();
  } catch (e) {
    await zip.abort();
    throw e;
  }
  return { kind: 'dwca', out: path.resolve(out), files: [path.resolve(out)], rows: rows.length, photos, skipped, warnings, bytes: fs.statSync(out).size };
}
