import type { CatalogTopic, MatchFilters, ReviewRequests } from '../../contract';
import { decide, undo } from '../review/decide';
import { individualPage, listIndividuals, mergeIndividuals, renameIndividual, splitAnnotation } from '../review/individuals';
import { reviewItem } from '../review/item';
import { reviewQueue } from '../review/queue';
import { activeModelId } from '../review/decision-log';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';

// Not 'review.item': refetching every open query's ranking after each decision would cost a
// match per screen; the screens refetch an item themselves where a decision changes it.
const TOPICS: CatalogTopic[] = ['review.queue', 'individuals', 'encounters', 'catalog'];

export function reviewHandlers(b: BackendCore): HandlerGroup<keyof ReviewRequests> {
  // Matching goes through the contract, so whichever matcher answers 'match.annotation' is used.
  const match = (annotationId: number, top: number, filters?: MatchFilters, encounter?: boolean) => b.request('match.annotation', { annotationId, top, ...(filters ? { filters } : {}), ...(encounter ? { encounter } : {}) });
  // Best-candidate scores for the 'confidence' order, per model; a query's score is computed once.
  const best = new Map<string, Map<number, number | null>>();
  const bestScore = async (annotationId: number): Promise<number | null> => {
    const model = activeModelId(b.catalog) ?? '';
    let m = best.get(model);
    if (!m) best.set(model, (m = new Map()));
    if (!m.has(annotationId)) {
      try {
        m.set(annotationId, (await match(annotationId, 1)).candidates[0]?.score ?? null);
      } catch {
        m.set(annotationId, null);
      }
    }
    return m.get(annotationId) ?? null;
  };
  const changed = <T>(r: T): T => {
    b.emit('catalog.changed', { topics: TOPICS });
    return r;
  };
  return {
    'review.queue': ({ offset, limit }) => reviewQueue(b.catalog, offset, limit, bestScore),
    'review.item': ({ annotationId, top, anySide, encounter }) => reviewItem(b.catalog, annotationId, match, top, anySide, encounter),
    'review.decide': (p) => changed(decide(b.catalog, p)),
    'review.undo': ({ decisionId }) => changed({ undone: undo(b.catalog, decisionId) }),
    'individuals.list': ({ search, offset, limit }) => listIndividuals(b.catalog, search, offset, limit),
    'individuals.get': ({ id }) => individualPage(b.catalog, id),
    'individuals.rename': ({ id, name }) => changed(renameIndividual(b.catalog, id, name)),
    'individuals.merge': ({ sourceId, targetId }) => changed(mergeIndividuals(b.catalog, sourceId, targetId)),
    'individuals.split': ({ annotationId, toIndividualId }) => changed(splitAnnotation(b.catalog, annotationId, toIndividualId)),
  };
}
