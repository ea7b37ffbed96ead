import type { Candidate, MatchFilters, MatchResult } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { haversineKm } from '../util/geo';

/**
 * Brute-force matching straight from the database: cosine over the active model's vectors,
 * best score per individual. The foundation's reference implementation; the search index
 * (electron/core/search) replaces it for speed and must agree with it.
 */
export function simpleMatch(catalog: Catalog, annotationId: number, top = 10, filters: MatchFilters = {}): MatchResult {
  const store = catalog.store;
  const modelId = store.models.active()?.id;
  if (!modelId) throw new UserError('no active model: embed the catalog first', 'no-model');
  const q = store.embeddings.matchQuery(modelId, annotationId);
  if (!q) throw new UserError(`no annotation ${annotationId}`, 'not-found');
  if (!q.vector) throw new UserError(`annotation ${annotationId} has no embedding for model ${modelId}`, 'not-embedded');
  const qv = q.vector;
  const side = filters.side ?? (filters.sameSide === false ? undefined : q.side ?? undefined);
  const bodyPart = filters.bodyPart ?? (filters.sameBodyPart === false ? undefined : q.bodyPart);
  const rejected = new Set(filters.excludeRejected === false ? [] : store.decisions.rejectedIndividuals(annotationId));
  const rows = store.embeddings.identifiedVectors(modelId, annotationId);
  const best = new Map<number, { score: number; evidence: Array<{ annotationId: number; photoId: number; score: number }> }>();
  for (const r of rows) {
    if (side && r.side !== side) continue;
    if (bodyPart && r.bodyPart !== bodyPart) continue;
    if (rejected.has(r.individualId)) continue;
    if (filters.excludeOwnEncounter !== false && q.encounterId != null && r.encounterId === q.encounterId) continue;
    if (filters.from && (!r.takenAt || r.takenAt < filters.from)) continue;
    if (filters.to && (!r.takenAt || r.takenAt.slice(0, filters.to.length) > filters.to)) continue;
    if (filters.near && (r.latitude == null || r.longitude == null || haversineKm(filters.near.lat, filters.near.lon, r.latitude, r.longitude) > filters.near.km)) continue;
    const v = r.vector;
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * qv[i];
    const cur = best.get(r.individualId) ?? { score: -Infinity, evidence: [] };
    cur.evidence.push({ annotationId: r.annotationId, photoId: r.photoId, score: s });
    if (s > cur.score) cur.score = s;
    best.set(r.individualId, cur);
  }
  const ranked = [...best.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]).slice(0, top);
  const candidates: Candidate[] = ranked.map(([individualId, b], i) => {
    const ind = store.individuals.codeAndName(individualId)!;
    return {
      rank: i + 1,
      individualId,
      code: ind.code,
      name: ind.name,
      score: b.score,
      evidence: b.evidence.sort((x, y) => y.score - x.score).slice(0, 3),
    };
  });
  return { annotationId, modelId, candidates, newIndividual: { probability: candidates.length ? 0 : 1, rank: candidates.length + 1 } };
}
