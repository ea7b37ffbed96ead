import type { ImportFailure } from '../../contract';
import type { Catalog } from '../store/catalog';
import { nowIso } from '../util/time';
import type { LabelRow, Labels } from './labels';
import { refreshEncounters } from '../encounters/group';

export interface LabelTally {
  identified: number;
  individualsCreated: number;
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
  const store = catalog.store;
  const failed: ImportFailure[] = [];
  const fail = (row: LabelRow, error: string) => failed.push({ file: `${labels.csv}:${row.line}`, error: `line ${row.line}: ${error}` });
  const annotations = () => store.annotations.boxesOfPhoto(photo.id);

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
      : store.annotations.createPlaced({ photoId: photo.id, box: { x: box.x, y: box.y, w: box.w, h: box.h }, bodyPart, source: row.box ? 'person' : 'frame' });
    if (row.side && ann?.side !== row.side) store.annotations.setSide(annotationId, row.side);

    if (row.sighting) {
      const enc = store.encounters.withCodeCreated(row.sighting);
      // The encounter takes its times and place from the photos it gains, as a grouped one does.
      if (store.photos.joinEncounterIfNone(photo.id, enc)) refreshEncounters(catalog, [enc]);
    }

    if (!row.individual) continue;
    // A conflict is found before the individual is made: a row that changes nothing creates nothing.
    const current = ann?.individualId ?? null;
    const known = existingIndividual(catalog, row.individual);
    if (current !== null && current === known) continue;
    if (current !== null) {
      const code = store.individuals.byId(current)!.code;
      fail(row, `${row.image} is already identified as ${code}; left as it is (the labels say ${row.individual})`);
      continue;
    }
    const individualId = known ?? individualFor(catalog, row.individual, tally);
    const at = nowIso();
    store.annotations.identify(annotationId, individualId, labels.source, at);
    store.decisions.log({
      annotationId,
      individualId,
      decision: 'confirm',
      reviewer: labels.source,
      modelId: null,
      rank: null,
      score: null,
      details: { source: labels.csv, line: row.line },
      createdAt: at,
    });
    tally.identified++;
  }
  return failed;
}

const sameBox = (a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) =>
  Math.abs(a.x - b.x) <= SAME_BOX_PX && Math.abs(a.y - b.y) <= SAME_BOX_PX && Math.abs(a.w - b.w) <= SAME_BOX_PX && Math.abs(a.h - b.h) <= SAME_BOX_PX;

/** The individual with this code, or null; an individual merged away stands for the one it joined. */
function existingIndividual(catalog: Catalog, code: string): number | null {
  return catalog.store.individuals.liveIdOfCode(code);
}

/** The individual with this code, created when new. */
function individualFor(catalog: Catalog, code: string, tally: LabelTally): number {
  if (catalog.store.individuals.createIfAbsent(code)) tally.individualsCreated++;
  return existingIndividual(catalog, code)!;
}
