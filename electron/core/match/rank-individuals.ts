/** One annotation hit of a search: its individual, annotation, photo and cosine score. */
export interface Hit {
  individualId: number;
  annotationId: number;
  photoId: number;
  score: number;
}

export interface IndividualHit {
  individualId: number;
  score: number;
  /** This individual's hits, best first (at most `evidence` of them). */
  evidence: Hit[];
}

/**
 * How annotation hits become one score per individual.
 * - 'best': the best similarity of any of its photos (the evaluation protocol's rule).
 * - 'mean2': mean of its two best (one photo: that photo's score). Tried because one lucky
 *   near-duplicate can carry an individual; on nyala-dev with the pretrained backbone it scored
 *   below 'best' (see the report), and it penalises individuals with a single catalogued photo,
 *   which is most of a young catalog, so 'best' is the default.
 */
export type Aggregation = 'best' | 'mean2';

/**
 * Groups hits sorted best-first (ties: the order given) into individuals. With 'best' the order
 * is the order of first appearance, so a top-k prefix of the hit list ranks exactly the
 * individuals it contains ahead of any it does not.
 */
export function rankIndividuals(hits: Hit[], aggregation: Aggregation = 'best', evidence = 3): IndividualHit[] {
  const byInd = new Map<number, IndividualHit & { order: number }>();
  for (const h of hits) {
    let e = byInd.get(h.individualId);
    if (!e) {
      e = { individualId: h.individualId, score: h.score, evidence: [], order: byInd.size };
      byInd.set(h.individualId, e);
    }
    e.evidence.push(h);
  }
  const out = [...byInd.values()];
  if (aggregation === 'mean2') {
    for (const e of out) e.score = e.evidence.length > 1 ? (e.evidence[0].score + e.evidence[1].score) / 2 : e.evidence[0].score;
    out.sort((a, b) => b.score - a.score || a.order - b.order);
  }
  return out.map(({ individualId, score, evidence: ev }) => ({ individualId, score, evidence: ev.slice(0, evidence) }));
}
