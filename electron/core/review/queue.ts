import type { AnnotationView, QueueOrder, ReviewQueue } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';

/** Best candidate score of a query: computed by the matcher, cached per model by the caller. */
export type BestScore = (annotationId: number) => Promise<number | null>;

/**
 * The unidentified annotations, skipped ones last. Order 'encounter' walks encounters in time
 * (photos in capture order within each), as a reviewer works through a day's sightings;
 * 'confidence' puts the queries whose best candidate scores highest first, so easy matches go fast.
 */
export async function reviewQueue(catalog: Catalog, offset = 0, limit = 50, bestScore?: BestScore): Promise<ReviewQueue> {
  const store = catalog.store;
  const order = (getSetting(catalog, 'queueOrder') === 'confidence' ? 'confidence' : 'encounter') as QueueOrder;
  limit = Math.max(1, Math.min(500, Math.floor(limit)));
  offset = Math.max(0, Math.floor(offset));
  const { done, left, skipped } = store.annotations.queueCounts();
  let rows: Array<AnnotationView & { skipped: boolean }>;
  const scores = new Map<number, number | null>();
  if (order === 'encounter' || !bestScore) {
    rows = store.annotations.queuePage(offset, limit);
  } else {
    const all = store.annotations.queueAll();
    for (const r of all) scores.set(r.id, await bestScore(r.id));
    all.sort((x, y) => Number(x.skipped) - Number(y.skipped) || (scores.get(y.id) ?? -Infinity) - (scores.get(x.id) ?? -Infinity));
    const page = all.slice(offset, offset + limit);
    const byId = store.annotations.queueViews(page.map((r) => r.id));
    rows = page.map((r) => byId.get(r.id)!).filter(Boolean);
  }
  return {
    items: rows.map((r) => ({ ...r, bestScore: scores.get(r.annotationId) ?? null })),
    done,
    left,
    skipped,
    offset,
    order,
  };
}
