/**
 * How likely a query's animal is absent from the catalog, from its best candidate's score.
 *
 * Calibration (leave-one-out over confirmed identities): each sampled identified annotation is
 * a query against the rest of the catalog (its own encounter left out, like the eval protocol).
 * - "in catalog" sample: the top score it gets = max(best same-individual, best other-individual),
 *   recorded only when another photo of its individual exists;
 * - "new" sample: the best other-individual score, i.e. what the top score would have been had
 *   the individual not been catalogued.
 * P(new | s) = π f_new(s) / (π f_new(s) + (1 - π) f_in(s)) with Gaussian kernel densities and a
 * prior π = share of identified annotations that were an individual's first (individuals / annotations).
 * The curve is forced non-increasing in s (a higher best score never makes "new" more likely).
 */
export interface NewIndividualSamples {
  inCatalog: number[];
  absent: number[];
  prior: number;
}

export class NewIndividualModel {
  private constructor(
    private readonly grid: Float64Array,
    private readonly p: Float64Array,
    readonly prior: number,
    readonly calibrated: boolean,
  ) {}

  /** Too few samples (a young catalog): no evidence either way beyond the prior. */
  static uninformed(prior = 0.5): NewIndividualModel {
    return new NewIndividualModel(new Float64Array([-1, 1]), new Float64Array([prior, prior]), prior, false);
  }

  static fit(s: NewIndividualSamples, minSamples = 8): NewIndividualModel {
    const prior = Math.min(0.95, Math.max(0.05, s.prior));
    if (s.inCatalog.length < minSamples || s.absent.length < minSamples) return NewIndividualModel.uninformed(prior);
    const lo = Math.min(-1, ...s.inCatalog, ...s.absent);
    const hi = Math.max(1, ...s.inCatalog, ...s.absent);
    const steps = 400;
    const grid = new Float64Array(steps + 1);
    for (let i = 0; i <= steps; i++) grid[i] = lo + ((hi - lo) * i) / steps;
    const logIn = logKde(s.inCatalog, grid);
    const logNew = logKde(s.absent, grid);
    const p = new Float64Array(grid.length);
    const lp = Math.log(prior);
    const lq = Math.log(1 - prior);
    for (let i = 0; i < grid.length; i++) {
      const a = lp + logNew[i];
      const b = lq + logIn[i];
      p[i] = 1 / (1 + Math.exp(b - a));
    }
    // Non-increasing in the score: from the top down, keep the running maximum.
    for (let i = grid.length - 2; i >= 0; i--) p[i] = Math.max(p[i], p[i + 1]);
    return new NewIndividualModel(grid, p, prior, true);
  }

  /** P(new) given the best candidate's score (no candidate at all: certainly new). */
  probability(bestScore: number | undefined): number {
    if (bestScore === undefined || !Number.isFinite(bestScore)) return 1;
    const g = this.grid;
    if (bestScore <= g[0]) return this.p[0];
    if (bestScore >= g[g.length - 1]) return this.p[g.length - 1];
    const t = ((bestScore - g[0]) / (g[g.length - 1] - g[0])) * (g.length - 1);
    const i = Math.floor(t);
    const f = t - i;
    return this.p[i] * (1 - f) + this.p[Math.min(i + 1, g.length - 1)] * f;
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

/** log of a Gaussian kernel density (Silverman bandwidth), evaluated on a grid. */
function logKde(xs: number[], grid: Float64Array): Float64Array {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  const sorted = [...xs].sort((a, b) => a - b);
  const iqr = sorted[Math.floor(0.75 * (n - 1))] - sorted[Math.floor(0.25 * (n - 1))];
  const spread = Math.min(sd, iqr / 1.34) || sd || 0.05;
  const h = Math.max(1e-3, 0.9 * spread * n ** -0.2);
  const out = new Float64Array(grid.length);
  const norm = -Math.log(n * h * Math.sqrt(2 * Math.PI));
  for (let i = 0; i < grid.length; i++) {
    let m = -Infinity;
    const terms = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const z = (grid[i] - xs[j]) / h;
      terms[j] = -0.5 * z * z;
      if (terms[j] > m) m = terms[j];
    }
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(terms[j] - m);
    out[i] = norm + m + Math.log(sum);
  }
  return out;
}
