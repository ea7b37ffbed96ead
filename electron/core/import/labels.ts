import fs from 'node:fs';
import path from 'node:path';
import type { Box, ImportFailure } from '../../contract';
import { UserError } from '../util/errors';
import { parseCsv } from '../util/csv';

export interface LabelRow {
  line: number;
  /** The image as written in the CSV. */
  image: string;
  /** Resolved against the CSV's folder. */
  file: string;
  /** Catalog code; null for an unknown animal (`new_whale`, or empty). */
  individual: string | null;
  side: string | null;
  sighting: string | null;
  box: Box | null;
}

export interface Labels {
  csv: string;
  /** `import:<csv name>`: how identities from this file are attributed. */
  source: string;
  rows: LabelRow[];
  failed: ImportFailure[];
}

/** Kaggle's humpback competition marks animals not yet in its catalog this way. */
const UNKNOWN = new Set(['new_whale', 'unknown', '']);
const ALIASES: Record<string, string> = { id: 'individual', individual_id: 'individual', whale_id: 'individual', filename: 'image', file: 'image' };

export function readLabels(csvPath: string): Labels {
  const csv = path.resolve(csvPath);
  let text: string;
  try {
    text = fs.readFileSync(csv, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read labels file ${csv}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'bad-input');
  }
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    throw new UserError(`labels file ${csv}: ${(e as Error).message}`, 'bad-input');
  }
  if (!records.length) throw new UserError(`labels file ${csv} is empty`, 'bad-input');
  const header = records[0].fields.map((h) => {
    const k = h.trim().toLowerCase();
    return ALIASES[k] ?? k;
  });
  const col = (name: string) => header.indexOf(name);
  const [iImage, iInd, iSide, iSighting] = ['image', 'individual', 'side', 'sighting'].map(col);
  const boxCols = ['x', 'y', 'w', 'h'].map(col);
  if (iImage < 0 || iInd < 0) {
    throw new UserError(
      `labels file ${csv}: line 1 must name the columns image,individual[,side][,sighting][,x,y,w,h] (or Kaggle's Image,Id); found ${records[0].fields.join(',')}`,
      'bad-input',
    );
  }
  const hasBox = boxCols.some((i) => i >= 0);
  if (hasBox && boxCols.some((i) => i < 0)) throw new UserError(`labels file ${csv}: a box needs all four columns x,y,w,h`, 'bad-input');

  const dir = path.dirname(csv);
  const rows: LabelRow[] = [];
  const failed: ImportFailure[] = [];
  const fail = (line: number, error: string) => failed.push({ file: `${csv}:${line}`, error: `line ${line}: ${error}` });
  for (const { line, fields } of records.slice(1)) {
    // A row with more or fewer fields than the header is shifted (an unquoted comma in a name, a
    // lost column): which field is the individual is a guess, so the row is reported, not used.
    if (fields.length !== header.length) {
      fail(line, `${fields.length} field${fields.length === 1 ? '' : 's'} where the header has ${header.length} (${records[0].fields.join(',')}); row skipped`);
      continue;
    }
    const get = (i: number) => (i >= 0 ? (fields[i] ?? '').trim() : '');
    const image = get(iImage);
    if (!image) {
      fail(line, 'no image named');
      continue;
    }
    let box: Box | null = null;
    if (hasBox) {
      const raw = boxCols.map(get);
      if (raw.some((v) => v !== '')) {
        const [x, y, w, h] = raw.map((v) => (v === '' ? NaN : Number(v)));
        if (![x, y, w, h].every(Number.isFinite) || x < 0 || y < 0 || w <= 0 || h <= 0) {
          fail(line, `malformed box x,y,w,h = ${raw.join(',')} (numbers, x,y >= 0, w,h > 0)`);
          continue;
        }
        box = { x, y, w, h };
      }
    }
    const ind = get(iInd);
    rows.push({
      line,
      image,
      file: path.resolve(dir, image),
      individual: UNKNOWN.has(ind.toLowerCase()) ? null : ind,
      side: get(iSide).toLowerCase() || null,
      sighting: get(iSighting) || null,
      box,
    });
  }
  return { csv, source: `import:${path.basename(csv)}`, rows, failed };
}
