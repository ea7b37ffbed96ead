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
import { addConflict, newMergeContext, type MergeContext } from './merge-types';
import { finalIndividual } from './merge-rows';

/** One identity claim: "this photo (region) shows individual `code`". */
export interface IdentityClaim {
  line: number;
  code: string;
  name: string | null;
  sha256: string | null;
  /** Wildbook media file name (ours end in the sha256's first 8 hex digits). */
  fileName: string | null;
  box: { x: number; y: number; w: number; h: number } | null;
  reviewer: string | null;
  at: string | null;
}

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

interface PhotoRow {
  id: number;
  sha256: string;
  width: number;
  height: number;
  original_name: string;
}

function findPhoto(catalog: Catalog, c: IdentityClaim): PhotoRow | undefined {
  const db = catalog.db;
  if (c.sha256) return db.prepare('SELECT id, sha256, width, height, original_name FROM photos WHERE sha256 = ?').get(c.sha256) as PhotoRow | undefined;
  if (!c.fileName) return undefined;
  // Our own Wildbook export names files '<name> <sha8>.<ext>'.
  const tag = /\s([0-9a-f]{8})\.[A-Za-z0-9]+$/.exec(c.fileName)?.[1];
  if (tag) {
    const hits = db.prepare("SELECT id, sha256, width, height, original_name FROM photos WHERE sha256 LIKE ? || '%'").all(tag) as PhotoRow[];
    if (hits.length === 1) return hits[0];
  }
  const byName = db.prepare('SELECT id, sha256, width, height, original_name FROM photos WHERE original_name = ?').all(c.fileName) as PhotoRow[];
  return byName.length === 1 ? byName[0] : undefined;
}

/**
 * Applies identity claims in one transaction. A claim on an unidentified annotation identifies
 * it (logged as a 'confirm' decision with the file as source); one that agrees is a duplicate;
 * one that disagrees is an 'annotation' conflict; a photo without any box gets a whole-photo
 * annotation; a photo this catalog lacks is counted as unmatched.
 */
export function applyIdentityClaims(catalog: Catalog, file: string, kind: 'sightings-csv' | 'wildbook', claims: IdentityClaim[], jobId: number | null = null): MergeResult {
  const db = catalog.db;
  const reviewerDefault = getSetting(catalog, 'reviewer') || null;
  const bodyPart = getSetting(catalog, 'bodyPart');
  return db.transaction(() => {
    const mergeId = Number(db.prepare('INSERT INTO merges (source, kind, job_id) VALUES (?, ?, ?)').run(path.resolve(file), kind, jobId).lastInsertRowid);
    const ctx: MergeContext = newMergeContext(db, db, mergeId);
    let unmatched = 0;
    for (const c of claims) {
      const photo = findPhoto(catalog, c);
      if (!photo) {
        unmatched++;
        continue;
      }
      let ind = db.prepare('SELECT id FROM individuals WHERE code = ?').pluck().get(c.code) as number | undefined;
      if (ind === undefined) {
        ind = Number(db.prepare('INSERT INTO individuals (code, name) VALUES (?, ?)').run(c.code, c.name).lastInsertRowid);
        ctx.added.individuals++;
      }
      const anns = db.prepare('SELECT id, x, y, w, h, individual_id FROM annotations WHERE photo_id = ? ORDER BY id').all(photo.id) as Array<{ id: number; x: number; y: number; w: number; h: number; individual_id: number | null }>;
      let ann = c.box ? anns.find((a) => overlap(a, c.box!) >= 0.5) : anns.length === 1 ? anns[0] : anns.find((a) => a.individual_id !== null && finalIndividual(db, a.individual_id) === finalIndividual(db, ind!));
      if (!ann && anns.length === 0) {
        const box = c.box ?? { x: 0, y: 0, w: photo.width, h: photo.height };
        const id = Number(db.prepare('INSERT INTO annotations (photo_id, x, y, w, h, body_part) VALUES (?, ?, ?, ?, ?, ?)').run(photo.id, box.x, box.y, box.w, box.h, bodyPart).lastInsertRowid);
        ann = { id, ...box, individual_id: null };
        ctx.added.annotations++;
      }
      if (!ann) {
        unmatched++;
        continue;
      }
      const by = c.reviewer ?? reviewerDefault;
      const at = c.at ?? nowIso();
      if (ann.individual_id === null) {
        db.prepare('UPDATE annotations SET individual_id = ?, identified_by = ?, identified_at = ? WHERE id = ?').run(ind, by, at, ann.id);
        db.prepare("INSERT INTO decisions (annotation_id, individual_id, decision, reviewer, details) VALUES (?, ?, 'confirm', ?, ?)").run(ann.id, ind, by, JSON.stringify({ source: kind, file: path.basename(file), line: c.line }));
        ctx.added.decisions++;
      } else if (finalIndividual(db, ann.individual_id) === finalIndividual(db, ind)) {
        ctx.duplicate.annotations++;
      } else if (!db.prepare("SELECT 1 FROM merge_conflicts WHERE kind = 'annotation' AND annotation_id = ? AND incoming_individual_id = ? AND state = 'open'").get(ann.id, ind)) {
        addConflict(ctx, { kind: 'annotation', annotation_id: ann.id, local_individual_id: ann.individual_id, incoming_individual_id: ind, incoming_code: c.code, details: { file: path.basename(file), line: c.line } });
      }
    }
    const result: MergeResult = { mergeId, source: path.resolve(file), added: ctx.added, duplicate: ctx.duplicate, conflicts: ctx.conflicts, unmatched };
    db.prepare('UPDATE merges SET counts = ? WHERE id = ?').run(JSON.stringify(result), mergeId);
    return result;
  })();
}

function overlap(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (ix * iy) / (a.w * a.h + b.w * b.h - ix * iy);
}

export async function importIdentities(catalog: Catalog, file: string, format: 'sightings' | 'wildbook', jobId: number | null = null): Promise<MergeResult> {
  if (!fs.existsSync(file)) throw new UserError(`no file at ${file}`, 'not-found');
  const claims = format === 'sightings' ? readSightingsClaims(file) : await readWildbookClaims(file);
  return applyIdentityClaims(catalog, file, format === 'sightings' ? 'sightings-csv' : 'wildbook', claims, jobId);
}
