import fs from 'node:fs';
import path from 'node:path';
import type { ExportResult } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { photoExportName } from './filenames';
import { identifiedRows, sourceFile, type IdentifiedRow } from './identified';
import { breathe, type Progress } from './progress';
import { writeXlsx, type Cell } from './xlsx';
import { noSpeciesWarning } from './dwca';

export const WILDBOOK_SHEET = 'caudal-wildbook.xlsx';

/** Local date-time parts as the camera wrote them (Wildbook stores no offset). */
export function localParts(iso: string | null): { year?: number; month?: number; day?: number; hour?: number; minutes?: number } {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(iso) : null;
  if (!m) return {};
  return { year: +m[1], month: +m[2], day: +m[3], ...(m[4] !== undefined ? { hour: +m[4], minutes: +m[5] } : {}) };
}

/**
 * Wildbook/Flukebook bulk-import spreadsheet (Wildbook Standard Format) with the photos beside
 * it. A Wildbook Encounter is one animal at one sighting, so rows are (encounter, individual)
 * pairs holding every photo of that animal there as Encounter.mediaAsset0..N; photos of
 * annotations without an encounter are one row each. MarkedIndividual.individualID is the
 * column Wildbook's documentation recommends (Encounter.individualID is its duplicate).
 */
export async function exportWildbook(catalog: Catalog, outDir: string, p: Progress): Promise<ExportResult> {
  const species = getSetting(catalog, 'species').trim();
  const [genus, ...rest] = species ? species.split(/\s+/) : [''];
  const epithet = rest.join(' ');
  const groups = new Map<string, IdentifiedRow[]>();
  for (const r of identifiedRows(catalog)) {
    const key = `${r.encounterId ?? `photo${r.photoId}`}|${r.individualId}`;
    const g = groups.get(key) ?? [];
    if (!g.some((x) => x.photoId === r.photoId)) g.push(r);
    groups.set(key, g);
  }
  const maxMedia = Math.max(1, ...[...groups.values()].map((g) => g.length));
  const header = [
    ...Array.from({ length: maxMedia }, (_, i) => `Encounter.mediaAsset${i}`),
    'MarkedIndividual.individualID',
    'MarkedIndividual.nickname',
    'Encounter.sex',
    'Encounter.year',
    'Encounter.month',
    'Encounter.day',
    'Encounter.hour',
    'Encounter.minutes',
    'Encounter.decimalLatitude',
    'Encounter.decimalLongitude',
    'Encounter.locationID',
    'Encounter.verbatimLocality',
    'Encounter.genus',
    'Encounter.specificEpithet',
    'Encounter.sightingID',
    'Encounter.photographer0.fullName',
    'Encounter.researcherComments',
  ];
  fs.mkdirSync(outDir, { recursive: true });
  const skipped: ExportResult['skipped'] = [];
  const rows: Cell[][] = [];
  const copied = new Set<string>();
  let done = 0;
  for (const g of groups.values()) {
    const first = g[0];
    const media: Cell[] = [];
    for (const r of g) {
      const name = photoExportName(r.photoName, r.photoSha256);
      const src = sourceFile(catalog, r);
      if (!copied.has(name)) {
        if (!fs.existsSync(src)) {
          skipped.push({ what: r.photoName, reason: `photo file missing at ${src}`, photoId: r.photoId, cause: 'missing-file' });
          continue;
        }
        fs.copyFileSync(src, path.join(outDir, name));
        copied.add(name);
      }
      media.push(name);
    }
    if (media.length === 0) continue;
    while (media.length < maxMedia) media.push(null);
    const t = localParts(first.takenAt);
    rows.push([
      ...media,
      first.individualCode,
      first.individualName,
      first.sex,
      t.year,
      t.month,
      t.day,
      t.hour,
      t.minutes,
      first.latitude,
      first.longitude,
      first.location,
      first.location,
      genus,
      epithet,
      first.encounterCode,
      first.observer,
      `Caudal ${g.map((r) => r.occurrenceId).join(' ')}`,
    ]);
    p.throwIfCancelled();
    p.progress(++done, groups.size, 'copying photos');
    if (done % 20 === 0) await breathe();
  }
  const sheet = path.join(outDir, WILDBOOK_SHEET);
  fs.writeFileSync(sheet, writeXlsx('Encounters', header, rows));
  return { kind: 'wildbook', out: path.resolve(outDir), files: [path.resolve(sheet)], rows: rows.length, photos: copied.size, skipped, warnings: species ? [] : [noSpeciesWarning] };
}
