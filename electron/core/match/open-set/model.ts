import { candidateFeatures, queryFeatures, type RankedIndividual } from './features';
import { fitLogistic, predictLogistic, type LogisticFit } from './logistic';

/** One query as calibration saw it: its features and whether its animal was absent from the gallery. */
export interface QuerySample {
  x: number[];
  isNew: 0 | 1;
  /** The query's individual: folds of the cross-validation are drawn over these. */
  individual: number;
  /** How many queries of a survey this one stands for (default 1): see heldOutSamples. */
  weight?: number;
}

export interface CandidateSample {
  x: number[];
  correct: 0 | 1;
}

export interface OpenSetSamples {
  queries: QuerySample[];
  candidates: CandidateSample[];
  /** The catalog's own rate of new individuals (individuals / identified annotations): the fallback when nothing can be fitted. */
  prior: number;
  individuals: number;
}

export interface OpenSetEstimate {
  /** P(the animal is not in the catalog). */
  probability: number;
  /** Where "new individual" goes among the candidates (1-based): before the first less probable one. */
  rank: number;
  /** P(the animal is candidate j), in the candidates' order; empty when not calibrated. */
  candidates: number[];
  calibrated: boolean;
  /** Why it is not calibrated (shown to the reviewer). */
  note?: string;
}

/**
 * The open-set estimate: P(new) from the query's features, and each candidate's P(it is this one)
 * = (1 - P(new)) x P(correct | known, its features), scaled down when those sum over one.
 * The base rate of "new" is calibration's own weighted mix: a survey in which a fifth of the
 * animals are uncatalogued (calibrate.ts, heldOutQueries). Weighting to the catalog's rate of first
 * sightings (individuals / photos, 0.15 on nyala-dev) was tried first: it put p(new) near 0.19
 * where 55% of queries were new (bench/README.md, open-set).
 */
export class OpenSetModel {
  private constructor(
    readonly prior: number,
    private readonly query: LogisticFit | null,
    private readonly candidate: LogisticFit | null,
    readonly note: string | undefined,
    /** Cross-validated Brier score of the fit and of the constant prior, on the calibration samples. */
    readonly cv?: { brier: number; constant: number; samples: number },
  ) {}

  /** What a trained model stores of the estimate fitted on its validation runs (see heldOutSamples). */
  toJSON(): StoredOpenSet {
    return { prior: this.prior, query: this.query, candidate: this.candidate, note: this.note, cv: this.cv };
  }

  static fromJSON(j: StoredOpenSet): OpenSetModel {
    return new OpenSetModel(clampPrior(j.prior), j.query ?? null, j.candidate ?? null, j.note, j.cv);
  }

  get calibrated(): boolean {
    return this.query !== null;
  }

  static uninformed(prior: number, note: string): OpenSetModel {
    return new OpenSetModel(clampPrior(prior), null, null, note);
  }

  /** Fits both models; the query model only when, in cross-validation over individuals, it beats the constant prior. */
  static fit(s: OpenSetSamples, folds = 5): OpenSetModel {
    const prior = clampPrior(s.prior);
    const nNew = s.queries.filter((q) => q.isNew).length;
    const nKnown = s.queries.length - nNew;
    const total = s.queries.reduce((t, q) => t + (q.weight ?? 1), 0);
    const weights = s.queries.map((q) => (q.weight ?? 1) / total);
    const mix = s.queries.reduce((t, q, i) => t + weights[i] * q.isNew, 0);
    // Too few to fit, the held-out queries' own rate of new is still the better constant: the
    // catalog's rate of first sightings (individuals / photos) said 0.13 where 0.55 were new (seals-dev).
    if (nNew < MIN_CLASS || nKnown < MIN_CLASS) return OpenSetModel.uninformed(nNew && nKnown ? mix : prior, `not enough confirmed individuals to estimate (${nKnown} re-sightings, ${nNew} new in calibration)`);
    const candidate = s.candidates.length >= MIN_CLASS ? fitLogistic(s.candidates.map((c) => c.x), s.candidates.map((c) => c.correct), s.candidates.map(() => 1)) : null;
    const cv = crossValidate(s.queries, weights, folds);
    // The held-out rate is then the best estimate there is, and a measured one: "new" still takes
    // the rank it earns against the candidates (see estimate).
    if (!(cv.brier < cv.constant)) return new OpenSetModel(mix, null, candidate, `the estimate did not beat a constant on this catalog; p ≈ ${clampPrior(mix).toFixed(2)}, the rate of new animals among its held-out photos`, cv);
    const query = fitLogistic(
      s.queries.map((q) => q.x),
      s.queries.map((q) => q.isNew),
      weights,
    );
    return new OpenSetModel(mix, query, candidate, undefined, cv);
  }

  /** The estimate for one query's ranked individuals (best first). */
  estimate(ranked: RankedIndividual[]): OpenSetEstimate {
    if (ranked.length === 0) return { probability: 1, rank: 1, candidates: [], calibrated: this.calibrated, note: this.note };
    // Nothing measured on this catalog (too few individuals): the prior, placed last.
    if (!this.query && !this.candidate) return { probability: this.prior, rank: ranked.length + 1, candidates: [], calibrated: false, note: this.note };
    // No query model: the held-out rate of new, ranked against the candidates' own probabilities.
    // Where identification is weak (nyala-dev: the right animal first for 8% of re-sightings) that
    // puts "new" first, as the answer most often right; Enter still takes the selected candidate.
    const pNew = this.query ? predictLogistic(this.query, queryFeatures(ranked)) : this.prior;
    let cand = ranked.map((_, j) => (this.candidate ? predictLogistic(this.candidate, candidateFeatures(ranked, j)) : 0));
    const sum = cand.reduce((t, v) => t + v, 0);
    if (sum > 1) cand = cand.map((v) => v / sum);
    const candidates = cand.map((v) => (1 - pNew) * v);
    let rank = candidates.findIndex((p) => p < pNew) + 1;
    if (rank === 0) rank = candidates.length + 1;
    return { probability: pNew, rank, candidates, calibrated: this.calibrated, note: this.note };
  }
}

export interface StoredOpenSet {
  prior: number;
  query: LogisticFit | null;
  candidate: LogisticFit | null;
  note?: string;
  cv?: { brier: number; constant: number; samples: number };
}

/** Fewest samples of each class (new, re-sighting) to fit on. */
const MIN_CLASS = 20;

const clampPrior = (p: number): number => Math.min(0.95, Math.max(0.05, Number.isFinite(p) ? p : 0.5));

/** Out-of-fold weighted Brier score of the query model, folds over individuals, against the training part's constant rate. */
function crossValidate(q: QuerySample[], weights: number[], folds: number): { brier: number; constant: number; samples: number } {
  const inds = [...new Set(q.map((s) => s.individual))].sort((a, b) => a - b);
  // A fixed, well-mixed assignment (not the order individuals were created in).
  const foldOf = new Map(inds.map((ind) => [ind, hash(ind) % folds]));
  let brier = 0;
  let constant = 0;
  let total = 0;
  for (let f = 0; f < folds; f++) {
    const train = q.map((_, i) => i).filter((i) => foldOf.get(q[i].individual) !== f);
    const test = q.map((_, i) => i).filter((i) => foldOf.get(q[i].individual) === f);
    if (!test.length || !train.length) continue;
    const m = fitLogistic(train.map((i) => q[i].x), train.map((i) => q[i].isNew), train.map((i) => weights[i]));
    // The constant is the training part's own rate, as the fitted model only knows that part.
    const wt = train.reduce((t, i) => t + weights[i], 0);
    const trainRate = train.reduce((t, i) => t + weights[i] * q[i].isNew, 0) / (wt || 1);
    for (const i of test) {
      const p = predictLogistic(m, q[i].x);
      brier += weights[i] * (p - q[i].isNew) ** 2;
      constant += weights[i] * (trainRate - q[i].isNew) ** 2;
      total += weights[i];
    }
  }
  return { brier: brier / (total || 1), constant: constant / (total || 1), samples: q.length };
}

/** A fixed, well-mixed fold assignment of individuals (not the order they were created in). */
export function hash(x: number): number {
  let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
