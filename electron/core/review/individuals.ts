import crypto from 'node:crypto';
import type { DecideResult, DecisionInfo, IndividualListItem, IndividualPage } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { ANNOTATION_VIEW_SQL, annotationViews, toView, type AnnotationViewRow } from './annotation-view';
import { annotationState, assign, liveIndividual } from './assign';
import { createIndividual } from './codes';
import { logDecision, readDecision, readDecisions } from './decision-log';

/** Individuals in code order, a page at a time; `search` matches code or name anywhere. */
export function listIndividuals(catalog: Catalog, search = '', offset = 0, limit = 100): { total: number; offset: number; items: IndividualListItem[] } {
  const db = catalog.db;
  limit = Math.max(1, Math.min(1000, Math.floor(limit)));
  offset = Math.max(0, Math.floor(offset));
  const like = `%${search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = `i.merged_into IS NULL AND (@like = '%%' OR i.code LIKE @like ESCAPE '\\' OR i.name LIKE @like ESCAPE '\\')`;
  const total = db.prepare(`SELECT COUNT(*) FROM individuals i WHERE ${where}`).pluck().get({ like }) as number;
  const rows = db
    .prepare(
      `SELECT i.id, i.code, i.name,
        (SELECT COUNT(*) FROM annotations a WHERE a.individual_id = i.id) AS photos,
        (SELECT COUNT(DISTINCT COALESCE('e' || p.encounter_id, 'p' || p.id)) FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE a.individual_id = i.id) AS sightings,
        (SELECT MAX(COALESCE(p.taken_at, p.taken_at_utc)) FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE a.individual_id = i.id) AS lastSeen,
        (SELECT a.id FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE a.individual_id = i.id
          ORDER BY COALESCE(a.quality, 0) DESC, p.taken_at_utc DESC, a.id DESC LIMIT 1) AS cover
       FROM individuals i WHERE ${where} ORDER BY i.code LIMIT @limit OFFSET @offset`,
    )
    .all({ like, limit, offset }) as Array<{ id: number; code: string; name: string | null; photos: number; sightings: number; lastSeen: string | null; cover: number | null }>;
  const covers = annotationViews(catalog, rows.map((r) => r.cover).filter((c): c is number => c != null));
  return {
    total,
    offset,
    items: rows.map((r) => ({ ...r, cover: r.cover != null ? (covers.get(r.cover) ?? null) : null })),
  };
}

export function individualPage(catalog: Catalog, id: number): IndividualPage {
  const db = catalog.db;
  const ind = db
    .prepare(
      `SELECT i.id, i.code, i.name, i.sex, i.notes, i.created_at AS createdAt, i.merged_into AS mergedInto, m.code AS mergedIntoCode
       FROM individuals i LEFT JOIN individuals m ON m.id = i.merged_into WHERE i.id = ?`,
    )
    .get(id) as
    | IndividualPage['individual']
    | undefined;
  if (!ind) throw new UserError(`no individual ${id}`, 'not-found');
  const photos = (db.prepare(`${ANNOTATION_VIEW_SQL} WHERE a.individual_id = ? ORDER BY p.taken_at_utc DESC, a.id DESC`).all(id) as AnnotationViewRow[]).map(toView);
  const encounters = db
    .prepare(
      `SELECT p.encounter_id AS encounterId, e.code, COALESCE(e.start_time, MIN(p.taken_at)) AS start, e.location, COUNT(*) AS photos
       FROM annotations a JOIN photos p ON p.id = a.photo_id LEFT JOIN encounters e ON e.id = p.encounter_id
       WHERE a.individual_id = ? GROUP BY COALESCE('e' || p.encounter_id, 'p' || p.id) ORDER BY start`,
    )
    .all(id) as IndividualPage['encounters'];
  const history = readDecisions(
    catalog,
    `(d.individual_id = @id OR json_extract(d.details, '$.created.id') = @id OR json_extract(d.details, '$.from') = @id
      OR json_extract(d.details, '$.individualId') = @id OR json_extract(d.details, '$.prev.individual_id') = @id)
     ORDER BY d.id DESC LIMIT 300`,
    { id },
  );
  return { individual: ind, photos, encounters, history };
}

/**
 * The log is per annotation, so a rename is logged against the individual's first photo; an
 * individual without photos is renamed without a log entry (there is nothing to attach it to).
 */
export function renameIndividual(catalog: Catalog, id: number, name: string): { decision: DecisionInfo | null } {
  if (typeof name !== 'string' || name.length > 200) throw new UserError('name must be text of at most 200 characters', 'bad-request');
  return catalog.db.transaction(() => {
    const ind = liveIndividual(catalog, id, 'id');
    const prevName = catalog.db.prepare('SELECT name FROM individuals WHERE id = ?').pluck().get(id) as string | null;
    const clean = name.trim() || null;
    catalog.db.prepare("UPDATE individuals SET name = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(clean, ind.id);
    const first = catalog.db.prepare('SELECT id FROM annotations WHERE individual_id = ? ORDER BY id LIMIT 1').pluck().get(id) as number | undefined;
    if (first === undefined) return { decision: null };
    const did = logDecision(catalog, { annotationId: first, individualId: id, decision: 'rename', details: { individualId: id, prevName, name: clean } });
    return { decision: readDecision(catalog, did) };
  })();
}

/** Every photo of `sourceId` goes to `targetId`; one 'merge' decision per photo, one group for undo. */
export function mergeIndividuals(catalog: Catalog, sourceId: number, targetId: number): { decisions: DecisionInfo[] } {
  if (sourceId === targetId) throw new UserError('cannot merge an individual into itself', 'bad-request');
  return catalog.db.transaction(() => {
    const source = liveIndividual(catalog, sourceId, 'sourceId');
    const target = liveIndividual(catalog, targetId, 'targetId');
    const anns = catalog.db.prepare('SELECT id FROM annotations WHERE individual_id = ? ORDER BY id').pluck().all(source.id) as number[];
    if (anns.length === 0) throw new UserError(`${source.code} has no photos: nothing to merge into ${target.code}`, 'empty');
    const group = `merge-${crypto.randomUUID()}`;
    const ids = anns.map((a) => {
      const prev = assign(catalog, a, target.id);
      return logDecision(catalog, { annotationId: a, individualId: target.id, decision: 'merge', details: { group, prev, from: source.id, into: target.id } });
    });
    catalog.db.prepare("UPDATE individuals SET merged_into = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(target.id, source.id);
    return { decisions: ids.map((i) => readDecision(catalog, i)) };
  })();
}

/** One wrongly identified photo moves out: to another individual, or to a new one. */
export function splitAnnotation(catalog: Catalog, annotationId: number, toIndividualId?: number): DecideResult {
  return catalog.db.transaction((): DecideResult => {
    const before = annotationState(catalog, annotationId);
    if (before.individual_id == null) throw new UserError(`annotation ${annotationId} has no individual to split it from`, 'bad-request');
    if (toIndividualId === before.individual_id) throw new UserError('the photo already belongs to that individual', 'bad-request');
    const created = toIndividualId === undefined ? createIndividual(catalog) : undefined;
    const to = created ?? liveIndividual(catalog, toIndividualId!, 'toIndividualId');
    const prev = assign(catalog, annotationId, to.id);
    const details: Record<string, unknown> = { prev, from: before.individual_id };
    if (created) details.created = created;
    const id = logDecision(catalog, { annotationId, individualId: created ? null : to.id, decision: 'split', details });
    return { decision: readDecision(catalog, id), individual: to };
  })();
}
