import type { QueueOrder, ReviewQueue } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { ANNOTATION_VIEW_SQL, toView, type AnnotationViewRow } from './annotation-view';

/** A skip counts until it is undone or the annotation is identified. */
const SKIPPED = `EXISTS (SELECT 1 FROM decisions d WHERE d.annotation_id = a.id AND d.decision = 'skip' AND d.undone_at IS NULL)`;

/** Best candidate score of a query: computed by the matcher, cached per model by the caller. */
export type BestScore = (annotationId: number) => Promise<number | null>;

/**
 * The unidentified annotations, skipped ones last. Order 'encounter' walks encounters in time
 * (photos in capture order within each), as a reviewer works through a day's sightings;
 * 'confidence' puts the queries whose best candidate scores highest first, so easy matches go fast.
 */
export async function reviewQueue(catalog: Catalog, offset = 0, limit = 50, bestScore?: BestScore): Promise<ReviewQueue> {
  const db = catalog.db;
  const order = (getSetting(catalog, 'queueOrder') === 'confidence' ? 'confidence' : 'encounter') as QueueOrder;
  limit = Math.max(1, Math.min(500, Math.floor(limit)));
  offset = Math.max(0, Math.floor(offset));
  const done = db.prepare('SELECT COUNT(*) FROM annotations WHERE individual_id IS NOT NULL').pluck().get() as number;
  const left = db.prepare('SELECT COUNT(*) FROM annotations WHERE individual_id IS NULL').pluck().get() as number;
  const skipped = db.prepare(`SELECT COUNT(*) FROM annotations a WHERE a.individual_id IS NULL AND ${SKIPPED}`).pluck().get() as number;
  const timeOrder = `COALESCE(e.start_time, p.taken_at_utc), p.encounter_id, p.taken_at_utc, a.id`;
  type Row = AnnotationViewRow & { skipped: number };
  let rows: Row[];
  const scores = new Map<number, number | null>();
  if (order === 'encounter' || !bestScore) {
    rows = db
      .prepare(`${ANNOTATION_VIEW_SQL.replace('SELECT ', `SELECT ${SKIPPED} AS skipped, `)} WHERE a.individual_id IS NULL ORDER BY skipped, ${timeOrder} LIMIT ? OFFSET ?`)
      .all(limit, offset) as Row[];
  } else {
    const all = db
      .prepare(`SELECT a.id, ${SKIPPED} AS skipped FROM annotations a JOIN photos p ON p.id = a.photo_id LEFT JOIN encounters e ON e.id = p.encounter_id
        WHERE a.individual_id IS NULL ORDER BY ${timeOrder}`)
      .all() as Array<{ id: number; skipped: number }>;
    for (const r of all) scores.set(r.id, await bestScore(r.id));
    all.sort((x, y) => x.skipped - y.skipped || (scores.get(y.id) ?? -Infinity) - (scores.get(x.id) ?? -Infinity));
    const page = all.slice(offset, offset + limit);
    const byId = new Map(
      (db.prepare(`${ANNOTATION_VIEW_SQL.replace('SELECT ', `SELECT ${SKIPPED} AS skipped, `)} WHERE a.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(page.map((r) => r.id))) as Row[]).map((r) => [r.annotationId, r]),
    );
    rows = page.map((r) => byId.get(r.id)!).filter(Boolean);
  }
  return {
    items: rows.map((r) => ({ ...toView(r), skipped: Boolean(r.skipped), bestScore: scores.get(r.annotationId) ?? null })),
    done,
    left,
    skipped,
    offset,
    order,
  };
}
