/**
 * How likely a query's animal is absent from the catalog, from its best candidate's score.
 *
 * Calibration (leave-one-out over confirmed identities): each sampled identified annotation is
 * a query against the rest of the catalog (its own encounter left out, like the eval protocol).
 * - "in catalog" sample: the top score it gets = max(best same-individual, best other-individual),
 *   recorded only when another photo of its individual exists;
 * - "new" sample: the best other-individual score, i.e. what the top score would have been had
 *   the individual not been catalogued.
 * P(new | s) = σ(a + b·s), a logistic fit (Platt scaling) of "new" vs "in catalog" samples, each
 * class weighted so that the base rate is the prior π = individuals / identified annotations (the
 * rate at which an annotation brought a new individual). Tried first: a ratio of Gaussian kernel
 * densities; one outlier (two individuals' photos scoring 1.0 as near-duplicates) made it
 * non-monotone, and on seals-dev it returned one constant. A logistic curve is monotone by
 * construction; when the samples do not separate (b >= 0) it is the prior, flat.
 */
export interface NewIndividualSamples {
  inCatalog: number[];
  absent: number[];
  prior: number;
}

export class NewIndividualModel {
  private constructor(
    readonly a: number,
    readonly b: number,
    readonly prior: number,
    readonly calibrated: boolean,
  ) {}

  /** Too few samples (a young catalog): no evidence either way beyond the prior. */
  static uninformed(prior = 0.5): NewIndividualModel {
    return new NewIndividualModel(logit(prior), 0, prior, false);
  }

  static fit(s: NewIndividualSamples, minSamples = 8): NewIndividualModel {
    const prior = Math.min(0.95, Math.max(0.05, s.prior));
    if (s.inCatalog.length < minSamples || s.absent.length < minSamples) return NewIndividualModel.uninformed(prior);
    const xs = [...s.absent, ...s.inCatalog];
    const ys = [...s.absent.map(() => 1), ...s.inCatalog.map(() => 0)];
    const ws = [...s.absent.map(() => prior / s.absent.length), ...s.inCatalog.map(() => (1 - prior) / s.inCatalog.length)];
    // Centre the score so the two parameters are well conditioned; a small ridge keeps a
    // perfectly separable sample from running off to infinity.
    const mean = xs.reduce((t, x) => t + x, 0) / xs.length;
    let a = logit(prior);
    let b = 0;
    const ridge = 1e-4;
    for (let it = 0; it < 50; it++) {
      let ga = 0;
      let gb = -ridge * b;
      let haa = 1e-12;
      let hab = 0;
      let hbb = ridge;
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i] - mean;
        const p = sigmoid(a + b * x);
        const r = ws[i] * (ys[i] - p);
        const h = ws[i] * p * (1 - p);
        ga += r;
        gb += r * x;
        haa += h;
        hab += h * x;
        hbb += h * x * x;
      }
      const det = haa * hbb - hab * hab;
      if (!(Math.abs(det) > 1e-18)) break;
      const da = (hbb * ga - hab * gb) / det;
      const db = (haa * gb - hab * ga) / det;
      a += da;
      b += db;
      if (Math.abs(da) + Math.abs(db) < 1e-9) break;
    }
    if (!(b < 0) || !Number.isFinite(a) || !Number.isFinite(b)) return NewIndividualModel.uninformed(prior);
    return new NewIndividualModel(a - b * mean, b, prior, true);
  }

  /** P(new) given the best candidate's score (no candidate at all: certainly new). */
  probability(bestScore: number | undefined): number {
    if (bestScore === undefined || !Number.isFinite(bestScore)) return 1;
    return sigmoid(this.a + this.b * bestScore);
  }

  /**
   * Where the "new individual" entry goes in a ranked list of candidate scores: before the first
   * candidate that is itself more likely a false match than a true one (P(new | its score) >= 0.5),
   * the way winning humpback-whale solutions inserted new_whale below a score threshold. 1-based.
   */
  rank(scores: number[]): number {
    let r = 1;
    for (const s of scores) {
      if (this.probability(s) >= 0.5) break;
      r++;
    }
    return r;
  }
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const logit = (p: number): number => Math.log(p / (1 - p));
