import fs from 'node:fs';
import path from 'node:path';
import type { MergeResult } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { parseCsv, CsvError } from '../util/csv';
import { readXlsx } from '../export/xlsx';
import { ISO_8601 } from '../export/dwca';
import { UserError } from '../util/errors';
import { nowIso } from '../util/time';
import type { IdentityClaim } from '../store/bundle-merge/identities';

export type { IdentityClaim };

const fail = (file: string, errors: string[]): never => {
  const more = errors.length > 8 ? `\n  ... and ${errors.length - 8} more` : '';
  throw new UserError(`${file}: ${errors.length} bad row${errors.length > 1 ? 's' : ''}; nothing was imported:\n  ${errors.slice(0, 8).join('\n  ')}${more}`, 'bad-input');
};

function table(file: string, rows: Array<{ line: number; fields: string[] }>, required: string[][]): { col: (r: string[], ...names: string[]) => string; body: typeof rows } {
  if (rows.length === 0) throw new UserError(`${file} is empty`, 'bad-input');
  const header = rows[0].fields.map((h) => h.trim());
  for (const alternatives of required) {
    if (!alternatives.some((a) => header.includes(a))) throw new UserError(`${file} has no '${alternatives.join("' or '")}' column`, 'bad-input');
  }
  const at = new Map(header.map((h, i) => [h, i]));
  return {
    col: (r, ...names) => {
      for (const n of names) {
        const i = at.get(n);
        if (i !== undefined && (r[i] ?? '').trim() !== '') return r[i].trim();
      }
      return '';
    },
    body: rows.slice(1),
  };
}

/** Reads and checks Caudal's sightings CSV; every bad row is reported, with its line. */
export function readSightingsClaims(file: string): IdentityClaim[] {
  let rows;
  try {
    rows = parseCsv(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if (e instanceof CsvError) throw new UserError(`${file}: ${e.message}; nothing was imported`, 'bad-input');
    throw new UserError(`cannot read ${file}: ${(e as Error).message}`, 'bad-input');
  }
  const { col, body } = table(file, rows, [['photo_sha256'], ['individual_code']]);
  const width = rows[0].fields.length;
  const errors: string[] = [];
  const claims: IdentityClaim[] = [];
  for (const { line, fields } of body) {
    const bad = (why: string) => errors.push(`line ${line}: ${why}`);
    if (fields.length !== width) {
      bad(`${fields.length} fields, the header has ${width}`);
      continue;
    }
    const sha = col(fields, 'photo_sha256').toLowerCase();
    const code = col(fields, 'individual_code');
    const at = col(fields, 'decision_time');
    const date = col(fields, 'date_time');
    if (!/^[0-9a-f]{64}$/.test(sha)) bad(`photo_sha256 '${sha}' is not a sha256`);
    if (!code) bad('individual_code is empty');
    if (at && !ISO_8601.test(at)) bad(`decision_time '${at}' is not an ISO 8601 time`);
    if (date && !ISO_8601.test(date)) bad(`date_time '${date}' is not an ISO 8601 time`);
    const nums = ['box_x', 'box_y', 'box_w', 'box_h'].map((k) => col(fields, k));
    let box: IdentityClaim['box'] = null;
    if (nums.some((n) => n !== '')) {
      const [x, y, w, h] = nums.map(Number);
      if (nums.some((n) => n === '' || !Number.isFinite(Number(n))) || w <= 0 || h <= 0 || x < 0 || y < 0) {
        bad(`box '${nums.join(',')}' is not four numbers with a positive width and height`);
        continue;
      }
      box = { x, y, w, h };
    }
    claims.push({ line, code, name: col(fields, 'individual_name') || null, sha256: sha, fileName: col(fields, 'photo_file') || null, box, reviewer: col(fields, 'reviewer') || null, at: at || null });
  }
  if (errors.length) fail(file, errors);
  return claims;
}

/** Reads a Wildbook encounter export or bulk-import sheet (.xlsx or .csv): one claim per media asset. */
export async function readWildbookClaims(file: string): Promise<IdentityClaim[]> {
  let rows: Array<{ line: number; fields: string[] }>;
  try {
    rows = /\.xlsx$/i.test(file)
      ? (await readXlsx(new Uint8Array(fs.readFileSync(file)))).map((fields, i) => ({ line: i + 1, fields }))
      : parseCsv(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file} cannot be read as a Wildbook spreadsheet: ${(e as Error).message}; nothing was imported`, 'bad-input');
  }
  const { col, body } = table(file, rows, [['MarkedIndividual.individualID', 'Encounter.individualID'], ['Encounter.mediaAsset0']]);
  const header = rows[0].fields.map((h) => h.trim());
  const mediaCols = header.filter((h) => /^Encounter\.mediaAsset\d+$/.test(h));
  const errors: string[] = [];
  const claims: IdentityClaim[] = [];
  for (const { line, fields } of body) {
    const code = col(fields, 'MarkedIndividual.individualID', 'Encounter.individualID');
    const media = mediaCols.map((c) => col(fields, c)).filter(Boolean);
    if (!code) continue; // an unidentified encounter: nothing to import
    if (media.length === 0) {
      errors.push(`line ${line}: individual ${code} has no Encounter.mediaAsset0`);
      continue;
    }
    const name = col(fields, 'MarkedIndividual.nickname', 'MarkedIndividual.nickName', 'MarkedIndividual.name') || null;
    for (const m of media) claims.push({ line, code, name, sha256: null, fileName: path.basename(m.replace(/\\/g, '/')), box: null, reviewer: null, at: null });
  }
  if (errors.length) fail(file, errors);
  return claims;
}

/** Applies identity claims in one transaction (see store/bundle-merge/identities.ts). */
export function applyIdentityClaims(catalog: Catalog, file: string, kind: 'sightings-csv' | 'wildbook', claims: IdentityClaim[], jobId: number | null = null): MergeResult {
  return catalog.store.bundles.applyIdentityClaims(claims, {
    file,
    kind,
    jobId,
    reviewer: getSetting(catalog, 'reviewer') || null,
    bodyPart: getSetting(catalog, 'bodyPart'),
    now: nowIso,
  });
}

export async function importIdentities(catalog: Catalog, file: string, format: 'sightings' | 'wildbook', jobId: number | null = null): Promise<MergeResult> {
  if (!fs.existsSync(file)) throw new UserError(`no file at ${file}`, 'not-found');
  const claims = format === 'sightings' ? readSightingsClaims(file) : await readWildbookClaims(file);
  return applyIdentityClaims(catalog, file, format === 'sightings' ? 'sightings-csv' : 'wildbook', claims, jobId);
}
