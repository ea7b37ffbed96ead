import { dot } from './vec';

export interface RetrievalMetrics {
  rank1: number;
  map5: number;
  top5: number;
  queries: number;
}

export interface QueryOutcome {
  label: number;
  /** 1-based rank of the true individual. */
  rank: number;
}

export interface RetrievalContext {
  label: ArrayLike<number>;
  side: ArrayLike<number>;
  group: ArrayLike<number>;
}

/**
 * The photo-ID protocol of datasets/README.md on unit vectors (row i of `emb` is sample i): each
 * query ranks individuals by their best gallery similarity, gallery restricted to the query's side
 * and never its own sighting; queries whose individual has no eligible gallery sample are skipped.
 */
export function rankQueries(emb: Float32Array, dim: number, queries: ArrayLike<number>, gallery: ArrayLike<number>, c: RetrievalContext): QueryOutcome[] {
  const out: QueryOutcome[] = [];
  const best = new Map<number, number>();
  for (let qi = 0; qi < queries.length; qi++) {
    const q = queries[qi];
    best.clear();
    for (let gi = 0; gi < gallery.length; gi++) {
      const g = gallery[gi];
      if (g === q || c.group[g] === c.group[q]) continue;
      if (c.side[q] >= 0 && c.side[g] !== c.side[q]) continue;
      const s = dot(emb, q * dim, emb, g * dim, dim);
      const l = c.label[g];
      const cur = best.get(l);
      if (cur === undefined || s > cur) best.set(l, s);
    }
    const own = best.get(c.label[q]);
    if (own === undefined) continue;
    let rank = 1;
    for (const [l, s] of best) if (l !== c.label[q] && (s > own || (s === own && l < c.label[q]))) rank++;
    out.push({ label: c.label[q], rank });
  }
  return out;
}

export function summarize(outcomes: QueryOutcome[]): RetrievalMetrics {
  const n = outcomes.length;
  if (!n) return { rank1: 0, map5: 0, top5: 0, queries: 0 };
  let r1 = 0;
  let m5 = 0;
  let t5 = 0;
  for (const o of outcomes) {
    if (o.rank === 1) r1++;
    if (o.rank <= 5) {
      t5++;
      m5 += 1 / o.rank;
    }
  }
  return { rank1: r1 / n, map5: m5 / n, top5: t5 / n, queries: n };
}
