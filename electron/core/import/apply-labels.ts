import type { ImportFailure } from '../../contract';
import type { Catalog } from '../store/catalog';
import { nowIso } from '../util/time';
import type { LabelRow, Labels } from './labels';
import { refreshEncounters } from '../encounters/group';

export interface LabelTally {
  identified: number;
  individualsCreated: number;
}

interface AnnotationRow {
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  individual_id: number | null;
  side: string | null;
}

/** Box edges closer than this (pixels) are the same box, so re-importing a labels file changes nothing. */
const SAME_BOX_PX = 0.5;

/**
 * Brings a photo's label rows into the catalog: its annotation(s) get the side, the individual
 * (created from its code when new) as a confirmed identity with a `confirm` entry in the
 * decision log, and the photo joins the encounter named by `sighting`. Runs inside the caller's
 * transaction. An identity already recorded for a different animal is left alone and reported.
 */
export function applyLabelRows(
  catalog: Catalog,
  photo: { id: number; width: number; height: number },
  rows: LabelRow[],
  labels: Labels,
  bodyPart: string,
  tally: LabelTally,
): ImportFailure[] {
  const db = catalog.db;
  const failed: ImportFailure[] = [];
  const fail = (row: LabelRow, error: string) => failed.push({ file: `${labels.csv}:${row.line}`, error: `line ${row.line}: ${error}` });
  const annotations = () => db.prepare('SELECT id, x, y, w, h, individual_id, side FROM annotations WHERE photo_id = ? ORDER BY id').all(photo.id) as AnnotationRow[];

  for (const row of rows) {
    const box = row.box ?? { x: 0, y: 0, w: photo.width, h: photo.height };
    if (row.box && (box.x + box.w > photo.width + SAME_BOX_PX || box.y + box.h > photo.height + SAME_BOX_PX)) {
      fail(row, `malformed box ${box.x},${box.y},${box.w},${box.h}: outside the ${photo.width} x ${photo.height} photo`);
      continue;
    }
    const existing = annotations();
    let ann = existing.find((a) => sameBox(a, box));
    // A photo whose single annotation was re-drawn by hand: an unboxed label row means that one.
    if (!ann && !row.box && existing.length === 1) ann = existing[0];
    const annotationId = ann
      ? ann.id
      : Number(
          db
            .prepare('INSERT INTO annotations(photo_id, x, y, w, h, body_part, source) VALUES (?, ?, ?, ?, ?, ?, ?)')
            .run(photo.id, box.x, box.y, box.w, box.h, bodyPart, row.box ? 'person' : 'frame').lastInsertRowid,
        );
    if (row.side && ann?.side !== row.side) db.prepare('UPDATE annotations SET side = ? WHERE id = ?').run(row.side, annotationId);

    if (row.sighting) {
      db.prepare('INSERT INTO encounters(code) VALUES (?) ON CONFLICT(code) DO NOTHING').run(row.sighting);
      const enc = db.prepare('SELECT id FROM encounters WHERE code = ?').pluck().get(row.sighting) as number;
      // The encounter takes its times and place from the photos it gains, as a grouped one does.
      if (db.prepare('UPDATE photos SET encounter_id = ? WHERE id = ? AND encounter_id IS NULL').run(enc, photo.id).changes) refreshEncounters(catalog, [enc]);
    }

    if (!row.individual) continue;
    // A conflict is found before the individual is made: a row that changes nothing creates nothing.
    const current = ann?.individual_id ?? null;
    const known = existingIndividual(catalog, row.individual);
    if (current !== null && current === known) continue;
    if (current !== null) {
      const code = db.prepare('SELECT code FROM individuals WHERE id = ?').pluck().get(current) as string;
      fail(row, `${row.image} is already identified as ${code}; left as it is (the labels say ${row.individual})`);
      continue;
    }
    const individualId = known ?? individualFor(catalog, row.individual, tally);
    const at = nowIso();
    db.prepare('UPDATE annotations SET individual_id = ?, identified_by = ?, identified_at = ? WHERE id = ?').run(individualId, labels.source, at, annotationId);
    db.prepare("INSERT INTO decisions(annotation_id, individual_id, decision, reviewer, details, created_at) VALUES (?, ?, 'confirm', ?, ?, ?)").run(
      annotationId,
      individualId,
      labels.source,
      JSON.stringify({ source: labels.csv, line: row.line }),
      at,
    );
    tally.identified++;
  }
  return failed;
}

const sameBox = (a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) =>
  Math.abs(a.x - b.x) <= SAME_BOX_PX && Math.abs(a.y - b.y) <= SAME_BOX_PX && Math.abs(a.w - b.w) <= SAME_BOX_PX && Math.abs(a.h - b.h) <= SAME_BOX_PX;

/** The individual with this code, or null; an individual merged away stands for the one it joined. */
function existingIndividual(catalog: Catalog, code: string): number | null {
  const db = catalog.db;
  let row = db.prepare('SELECT id, merged_into FROM individuals WHERE code = ?').get(code) as { id: number; merged_into: number | null } | undefined;
  for (let hops = 0; row && row.merged_into !== null && hops < 100; hops++) {
    row = db.prepare('SELECT id, merged_into FROM individuals WHERE id = ?').get(row.merged_into) as { id: number; merged_into: number | null };
  }
  return row?.id ?? null;
}

/** The individual with this code, created when new. */
function individualFor(catalog: Catalog, code: string, tally: LabelTally): number {
  const r = catalog.db.prepare('INSERT INTO individuals(code) VALUES (?) ON CONFLICT(code) DO NOTHING').run(code);
  if (r.changes) tally.individualsCreated++;
  return existingIndividual(catalog, code)!;
}
