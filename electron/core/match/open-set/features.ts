/**
 * What the open-set estimate looks at, for one query: its best-scoring individuals (each with its
 * best photo scores and how many of its photos were searchable). Computed the same way from a
 * full score row (calibration, evaluation) and from a search's hits (matching), so the model sees
 * at query time exactly the kind of numbers it was fitted on.
 */
export interface RankedIndividual {
  individualId: number;
  /** Its best photo scores, best first (at most EVIDENCE). */
  scores: number[];
  /** Its searchable photos (how much of it the gallery holds). */
  count: number;
}

/** Individuals the features read (and the candidates that get a probability). */
export const FEATURE_TOP = 10;
export const EVIDENCE = 3;

export const QUERY_FEATURE_NAMES = ['top score', 'margin to 2nd', 'top-3 agreement', 'log photos of top', 'mean of top 2 photos', 'top minus mean of next 9'] as const;
export const CANDIDATE_FEATURE_NAMES = ['score', 'gap to top', 'gap to next', 'log photos', 'mean of top 2 photos', 'top-3 agreement'] as const;

/** Share of the query's 3 best photo hits (over all individuals) that belong to individual j. */
function agreement(r: RankedIndividual[], j: number): number {
  const all = r.flatMap((x, i) => x.scores.map((s) => ({ s, i }))).sort((a, b) => b.s - a.s);
  const top = all.slice(0, EVIDENCE);
  return top.length ? top.filter((h) => h.i === j).length / top.length : 0;
}

const mean2 = (x: RankedIndividual): number => (x.scores.length > 1 ? (x.scores[0] + x.scores[1]) / 2 : x.scores[0]);
const best = (x: RankedIndividual | undefined, fallback: number): number => (x ? x.scores[0] : fallback);

/** Query-level features; `r` sorted best first, non-empty. */
export function queryFeatures(r: RankedIndividual[]): number[] {
  const s1 = r[0].scores[0];
  const rest = r.slice(1, FEATURE_TOP);
  // A lone individual in the gallery: compare with a score no photo reaches.
  const s2 = best(r[1], s1 - 1);
  const restMean = rest.length ? rest.reduce((t, x) => t + x.scores[0], 0) / rest.length : s1 - 1;
  return [s1, s1 - s2, agreement(r, 0), Math.log1p(r[0].count), mean2(r[0]), s1 - restMean];
}

/** Features of candidate j (0-based) in the list `r` sorted best first. */
export function candidateFeatures(r: RankedIndividual[], j: number): number[] {
  const sj = r[j].scores[0];
  return [sj, r[0].scores[0] - sj, sj - best(r[j + 1], sj - 1), Math.log1p(r[j].count), mean2(r[j]), agreement(r, j)];
}

/**
 * The top individuals of one query from its full score row over `n` rows, among the rows `allowed`
 * keeps; `individual[r]` < 0 rows are never candidates.
 */
export function rankFromRow(row: ArrayLike<number>, n: number, individual: ArrayLike<number>, allowed: (r: number) => boolean, top = FEATURE_TOP): RankedIndividual[] {
  const by = new Map<number, RankedIndividual>();
  for (let r = 0; r < n; r++) {
    const ind = individual[r];
    if (ind < 0 || !allowed(r)) continue;
    const s = row[r];
    let e = by.get(ind);
    if (!e) by.set(ind, (e = { individualId: ind, scores: [], count: 0 }));
    e.count++;
    const sc = e.scores;
    if (sc.length < EVIDENCE || s > sc[sc.length - 1]) {
      let k = sc.length < EVIDENCE ? sc.length : sc.length - 1;
      sc[k] = s;
      while (k > 0 && sc[k - 1] < sc[k]) {
        [sc[k - 1], sc[k]] = [sc[k], sc[k - 1]];
        k--;
      }
    }
  }
  return [...by.values()].sort((a, b) => b.scores[0] - a.scores[0] || a.individualId - b.individualId).slice(0, top);
}
