import type { Estimate, ModelEstimate } from '../../contract';
import { Rng } from './random';
import type { QueryOutcome } from './retrieval';

/** A model's query outcomes on both protocols; outcomes of different models are aligned query by query. */
export interface ProtocolOutcomes {
  unseen: QueryOutcome[];
  resight: QueryOutcome[];
}

const PROTOCOLS = ['unseen', 'resight'] as const;
// Per draw and model: unseen rank-1, unseen MAP@5, re-sighting rank-1, re-sighting MAP@5, score.
const STATS = 5;

/**
 * Cross-validated estimates with 95% percentile intervals, resampling individuals (all of an
 * individual's queries, on both protocols, go in or out together: queries of one animal are not
 * independent). Every model is measured on the same draws, so `diff(a, b)` is paired.
 */
export function bootstrapOverIndividuals(models: ProtocolOutcomes[], draws = 1000, seed = 1) {
  const ids = new Map<number, number>();
  for (const p of PROTOCOLS) for (const q of models[0][p]) if (!ids.has(q.label)) ids.set(q.label, ids.size);
  const I = ids.size;
  // Per protocol: queries per individual; per model and protocol: rank-1 hits and MAP@5 sums per individual.
  const count = PROTOCOLS.map((p) => {
    const c = new Float64Array(I);
    for (const q of models[0][p]) c[ids.get(q.label)!]++;
    return c;
  });
  const sums = models.map((m) =>
    PROTOCOLS.map((p) => {
      const r1 = new Float64Array(I);
      const ap = new Float64Array(I);
      for (const q of m[p]) {
        const i = ids.get(q.label)!;
        if (q.rank === 1) r1[i]++;
        if (q.rank <= 5) ap[i] += 1 / q.rank;
      }
      return { r1, ap };
    }),
  );
  const stats = (w: Float64Array, m: number, out: Float64Array, at: number) => {
    let scoreSum = 0;
    let scoreN = 0;
    PROTOCOLS.forEach((_, p) => {
      let n = 0;
      let r1 = 0;
      let ap = 0;
      for (let i = 0; i < I; i++) {
        if (!w[i]) continue;
        n += w[i] * count[p][i];
        r1 += w[i] * sums[m][p].r1[i];
        ap += w[i] * sums[m][p].ap[i];
      }
      out[at + 2 * p] = n ? r1 / n : 0;
      out[at + 2 * p + 1] = n ? ap / n : 0;
      if (n) {
        scoreSum += r1 / n;
        scoreN++;
      }
    });
    out[at + 4] = scoreN ? scoreSum / scoreN : 0;
  };
  const point = new Float64Array(models.length * STATS);
  const ones = new Float64Array(I).fill(1);
  models.forEach((_, m) => stats(ones, m, point, m * STATS));
  const boot = new Float64Array(draws * models.length * STATS);
  const rng = new Rng(seed);
  const w = new Float64Array(I);
  for (let b = 0; b < draws; b++) {
    w.fill(0);
    for (let i = 0; i < I; i++) w[rng.int(I)]++;
    models.forEach((_, m) => stats(w, m, boot, (b * models.length + m) * STATS));
  }
  const individuals = PROTOCOLS.map((_, p) => count[p].reduce((s, c) => s + (c > 0 ? 1 : 0), 0));
  const queries = PROTOCOLS.map((p) => models[0][p].length);

  /** Model b's estimate, minus (or divided by) model a's when a is given (paired: same draws). */
  const estimate = (b: number, a?: number, ratio = false): ModelEstimate => {
    const at = (s: number): Estimate => {
      const stat = (d: Float64Array | null, k: number, m: number) => (d ? d[(k * models.length + m) * STATS + s] : point[m * STATS + s]);
      const v = (d: Float64Array | null, k: number) => (a === undefined ? stat(d, k, b) : ratio ? stat(d, k, b) / stat(d, k, a) : stat(d, k, b) - stat(d, k, a));
      const xs = Float64Array.from({ length: draws }, (_, k) => v(boot, k)).sort();
      return { value: v(null, 0), lo: xs[Math.floor(draws * 0.025)], hi: xs[Math.min(draws - 1, Math.floor(draws * 0.975))] };
    };
    const proto = (p: number) => ({ rank1: at(2 * p), map5: at(2 * p + 1), queries: queries[p], individuals: individuals[p] });
    return { unseen: proto(0), resight: proto(1), score: at(4) };
  };
  return { estimate: (m: number) => estimate(m), diff: (a: number, b: number) => estimate(b, a), ratio: (a: number, b: number) => estimate(b, a, true) };
}
