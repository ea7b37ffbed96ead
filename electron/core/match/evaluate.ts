/**
 * The evaluation protocol of ../shared/datasets/README.md, pure (no catalog, no files): training
 * (validation on held-out individuals), the demo and `caudal eval` all score with this.
 *
 * Every item is a query in turn. Its gallery is every other item of the same side (when the query
 * has a side), minus the items of the query's own sighting. Individuals are ranked by the best
 * similarity of any of their gallery items ('best'; 'mean2' is offered for comparison). A query
 * whose individual has no gallery item is skipped. Ties count against the query: its rank is
 * 1 + the number of other individuals scoring at least as high, so ties never inflate a metric.
 */
import type { Aggregation } from './rank-individuals';

export interface LabelledItem {
  individual: string;
  side?: string | null;
  sighting?: string | null;
}

export interface EvalMetrics {
  queries: number;
  rank1: number;
  /** Mean of 1/rank when ranked within the top 5, else 0 (Kaggle humpback MAP@5, one true label). */
  map5: number;
  top5: number;
}

export interface EvalDetail extends EvalMetrics {
  /** Per item: the true individual's rank, or null when the query was skipped. */
  ranks: Array<number | null>;
}

/** Similarity of query i and gallery item j. */
export type Similarity = (i: number, j: number) => number;

export function evaluate(items: LabelledItem[], sim: Similarity | Float32Array, aggregation: Aggregation = 'best'): EvalDetail {
  const n = items.length;
  const s: Similarity = typeof sim === 'function' ? sim : (i, j) => sim[i * n + j];
  const ranks: Array<number | null> = [];
  for (let i = 0; i < n; i++) {
    const q = items[i];
    const perInd = new Map<string, number[]>();
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const g = items[j];
      if (q.side && g.side !== q.side) continue;
      if (q.sighting && g.sighting === q.sighting) continue;
      let l = perInd.get(g.individual);
      if (!l) perInd.set(g.individual, (l = []));
      l.push(s(i, j));
    }
    if (!perInd.has(q.individual)) {
      ranks.push(null);
      continue;
    }
    const score = (l: number[]): number => {
      if (aggregation === 'best' || l.length === 1) return Math.max(...l);
      const [a, b] = [...l].sort((x, y) => y - x);
      return (a + b) / 2;
    };
    const mine = score(perInd.get(q.individual)!);
    let rank = 1;
    for (const [ind, l] of perInd) if (ind !== q.individual && score(l) >= mine) rank++;
    ranks.push(rank);
  }
  return { ...metricsOverScoredQueries(ranks), ranks };
}

/**
 * rank-1, MAP@5 and top-5 from the true individual's rank per query; a null rank is a query the
 * protocol skips (its gallery holds no photo of its individual) and is left out of the count. Compare
 * demo/metrics.ts, where a null rank is a miss and counts.
 */
export function metricsOverScoredQueries(ranks: Array<number | null>): EvalMetrics {
  const scored = ranks.filter((r): r is number => r !== null);
  const q = scored.length;
  if (q === 0) return { queries: 0, rank1: 0, map5: 0, top5: 0 };
  let r1 = 0;
  let map = 0;
  let t5 = 0;
  for (const r of scored) {
    if (r === 1) r1++;
    if (r <= 5) {
      t5++;
      map += 1 / r;
    }
  }
  return { queries: q, rank1: r1 / q, map5: map / q, top5: t5 / q };
}

/** Cosine similarity matrix [n x n] of row-major vectors (normalised here). */
export function cosineMatrix(vectors: Float32Array, n: number, dim: number): Float32Array {
  const unit = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let ss = 0;
    for (let j = 0; j < dim; j++) ss += vectors[i * dim + j] ** 2;
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let j = 0; j < dim; j++) unit[i * dim + j] = vectors[i * dim + j] * inv;
  }
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += unit[i * dim + j] * unit[k * dim + j];
      out[i * n + k] = s;
      out[k * n + i] = s;
    }
  }
  return out;
}

/** The protocol on in-memory vectors (what training calls on held-out individuals). */
export function evaluateVectors(items: LabelledItem[], vectors: Float32Array, dim: number, aggregation: Aggregation = 'best'): EvalDetail {
  if (vectors.length !== items.length * dim) throw new Error(`evaluateVectors: ${items.length} items need ${items.length * dim} floats, got ${vectors.length}`);
  return evaluate(items, cosineMatrix(vectors, items.length, dim), aggregation);
}
