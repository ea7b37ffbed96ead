import type { IndividualHit } from './rank-individuals';

/** One query photo's ranking of individuals, and whether it lists every individual it could match. */
export interface PhotoRanking {
  ranked: IndividualHit[];
  /** True when the list holds every individual with a gallery photo under the query's filters. */
  complete: boolean;
}

/**
 * Encounter-level matching: the photos of one encounter (one animal: both flanks, several shots) are
 * queried together. An individual's score is the mean, over the photos, of its best score for that
 * photo (bench/accuracy.bench.ts: mean 0.075 rank-1 vs 0.060 per photo on nyala-dev; max fusion no
 * better than one photo). A photo whose complete list lacks the individual (no gallery photo of that
 * side) does not count; a truncated list that lacks it counts its last listed score, an upper bound,
 * so a deep enough list ranks the top exactly.
 */
export function fuseEncounter(photos: PhotoRanking[], evidence = 3): IndividualHit[] {
  const acc = new Map<number, { sum: number; count: number; evidence: IndividualHit['evidence'] }>();
  for (const p of photos) {
    for (const h of p.ranked) {
      const a = acc.get(h.individualId) ?? { sum: 0, count: 0, evidence: [] };
      a.sum += h.score;
      a.count++;
      a.evidence.push(...h.evidence);
      acc.set(h.individualId, a);
    }
  }
  for (const p of photos) {
    if (p.complete || p.ranked.length === 0) continue;
    const floor = p.ranked[p.ranked.length - 1].score;
    const listed = new Set(p.ranked.map((h) => h.individualId));
    for (const [id, a] of acc) {
      if (listed.has(id)) continue;
      a.sum += floor;
      a.count++;
    }
  }
  return [...acc]
    .map(([individualId, a]) => ({ individualId, score: a.sum / a.count, evidence: a.evidence.sort((x, y) => y.score - x.score).slice(0, evidence) }))
    .sort((x, y) => y.score - x.score || x.individualId - y.individualId);
}
