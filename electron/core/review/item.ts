import type { CandidateView, MatchFilters, MatchResult, ReviewItem } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { annotationView, annotationViews } from './annotation-view';

export type Matcher = (annotationId: number, top: number, filters?: MatchFilters, encounter?: boolean) => Promise<MatchResult>;

/** How many of a candidate's other photos the strip shows. */
const STRIP = 6;

/** One query with its ranked candidates and their photos: one round trip per screen. */
export async function reviewItem(catalog: Catalog, annotationId: number, match: Matcher, top = 10, anySide = false, encounter = false): Promise<ReviewItem> {
  const query = annotationView(catalog, annotationId);
  if (!query) throw new UserError(`no annotation ${annotationId}`, 'not-found');
  const store = catalog.store;
  const individualId = store.annotations.identity(annotationId)?.individual_id ?? null;
  let result: MatchResult | null = null;
  let matchError: string | null = null;
  try {
    result = await match(annotationId, top, anySide ? { sameSide: false, sameBodyPart: false } : undefined, encounter || undefined);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    matchError = e.message;
  }
  const bestIds = (result?.candidates ?? []).map((c) => c.evidence[0]?.annotationId).filter((x): x is number => x != null);
  const best = annotationViews(catalog, bestIds);
  const candidates: CandidateView[] = [];
  for (const c of result?.candidates ?? []) {
    const b = best.get(c.evidence[0]?.annotationId);
    if (!b) continue;
    candidates.push({
      rank: c.rank,
      individualId: c.individualId,
      code: c.code,
      name: c.name,
      score: c.score,
      ...(c.probability !== undefined ? { probability: c.probability } : {}),
      best: b,
      others: store.annotations.viewsOfIndividual(c.individualId, b.annotationId, STRIP),
      photoCount: store.annotations.countOfIndividual(c.individualId),
    });
  }
  const { candidates: _drop, ...rest } = result ?? { candidates: [] };
  const encounterMates = query.encounterId === null
    ? 0
    : store.annotations.countUnidentifiedInEncounter(query.encounterId, annotationId, query.bodyPart);
  return { query, individualId, match: result ? (rest as Omit<MatchResult, 'candidates'>) : null, candidates, matchError, encounterMates, encounter: encounter && encounterMates > 0 };
}
