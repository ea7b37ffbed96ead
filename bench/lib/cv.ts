// The accuracy-research protocol: K-fold cross-validation over individuals, several seeds, nested choice of a
// setting (chosen on the training folds' queries, scored on the held-out fold's), bootstrap over individuals
// for means, paired differences and ratios against a baseline. Shared by bench/accuracy.bench.ts (the
// untrained pipeline) and the training research (15b): they only need per-query outcomes.
import { dealIndividuals } from '../../electron/core/training/folds';
import { bootstrapOverIndividuals } from '../../electron/core/training/interval';
import type { QueryOutcome } from '../../electron/core/training/retrieval';

/** Fold (0..k-1) of every individual label: the product's deal (training/folds.ts), a new shuffle per seed. */
export function foldsByIndividual<L extends string | number>(labels: ArrayLike<L>, k: number, seed: number): Map<L, number> {
  return new Map(dealIndividuals(labels, k, seed * 7 + 3).flatMap((ids, f) => ids.map((id) => [id, f] as [L, number])));
}

/** One query of the protocol: its individual's label (bootstrap group) and the true individual's rank (null: skipped). */
export type Ranks = Array<number | null>;

/**
 * Nested selection of one lever's setting: for each seed and each fold, the setting with the best
 * mean criterion (MAP@5 + rank-1) over the queries of the OTHER folds' individuals; the held-out fold's
 * queries take that setting's ranks. `ranksOf(setting, fold)` returns ranks for every item (a setting
 * fitted per fold, e.g. a whitening fitted on the training folds' photos, may differ by fold; pass
 * fold-independent ranks otherwise). Returns pooled outcomes over seeds, and how often each setting won.
 */
export function nestedCV<S>(
  individuals: string[],
  settings: S[],
  ranksOf: (setting: S, fold: number, seed: number) => Ranks,
  opts: { k?: number; seeds?: number[]; name?: (s: S) => string } = {},
): { outcomes: QueryOutcome[]; chosen: Map<string, number> } {
  const k = opts.k ?? 5;
  const seeds = opts.seeds ?? [1, 2, 3];
  const name = opts.name ?? ((s: S) => JSON.stringify(s));
  const labelOf = new Map([...new Set(individuals)].sort().map((id, i) => [id, i]));
  const outcomes: QueryOutcome[] = [];
  const chosen = new Map<string, number>();
  for (const seed of seeds) {
    const folds = foldsByIndividual(individuals, k, seed);
    for (let f = 0; f < k; f++) {
      let best = -1;
      let bestRanks: Ranks = [];
      let bestName = '';
      for (const s of settings) {
        const ranks = ranksOf(s, f, seed);
        let crit = 0;
        ranks.forEach((r, i) => {
          if (r !== null && folds.get(individuals[i]) !== f) crit += (r === 1 ? 1 : 0) + (r <= 5 ? 1 / r : 0);
        });
        if (crit > best) [best, bestRanks, bestName] = [crit, ranks, name(s)];
      }
      chosen.set(bestName, (chosen.get(bestName) ?? 0) + 1);
      bestRanks.forEach((r, i) => {
        if (r !== null && folds.get(individuals[i]) === f) outcomes.push({ label: labelOf.get(individuals[i])!, rank: r });
      });
    }
  }
  return { outcomes, chosen };
}

/** Outcomes of fixed ranks over the same seeds and folds as nestedCV (so pairs line up query by query). */
export function fixedCV(individuals: string[], ranks: Ranks, opts: { k?: number; seeds?: number[] } = {}): QueryOutcome[] {
  return nestedCV(individuals, [0], () => ranks, opts).outcomes;
}

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
}

export interface Comparison {
  queries: number;
  individuals: number;
  rank1: Interval;
  map5: Interval;
  /** variant minus baseline, paired query by query. */
  diffRank1: Interval;
  diffMap5: Interval;
  /** variant / baseline, the ratio of the resampled means. */
  ratioRank1: Interval;
  ratioMap5: Interval;
}

/**
 * The product's bootstrap over individuals (training/interval.ts: each draw resamples individuals with
 * all their queries, over all seeds): means and 95% intervals of the variant, and its paired difference
 * and ratio against the baseline. Both lists must hold the same queries in the same order.
 */
export function compare(base: QueryOutcome[], variant: QueryOutcome[], B = 1000, seed = 99): Comparison {
  if (base.length !== variant.length || base.some((q, i) => q.label !== variant[i].label)) throw new Error('compare: baseline and variant must hold the same queries in the same order');
  const boot = bootstrapOverIndividuals([{ unseen: base, resight: [] }, { unseen: variant, resight: [] }], B, seed);
  const iv = (e: { value: number; lo: number; hi: number }): Interval => ({ mean: e.value, lo: e.lo, hi: e.hi });
  const v = boot.estimate(1).unseen;
  const d = boot.diff(0, 1).unseen;
  const r = boot.ratio(0, 1).unseen;
  return { queries: v.queries, individuals: v.individuals, rank1: iv(v.rank1), map5: iv(v.map5), diffRank1: iv(d.rank1), diffMap5: iv(d.map5), ratioRank1: iv(r.rank1), ratioMap5: iv(r.map5) };
}

const f3 = (x: number) => x.toFixed(3);
const ivs = (i: Interval, f = f3) => `${f(i.mean)} [${f(i.lo)}, ${f(i.hi)}]`;
const sign = (x: number) => (x >= 0 ? '+' : '') + f3(x);

/** One row of the accuracy table (markdown): lever, queries, rank-1, MAP@5, paired differences, ratios. */
export function comparisonRow(lever: string, c: Comparison, note = ''): string {
  const r = (x: number) => x.toFixed(2) + 'x';
  return `| ${lever} | ${c.queries} (${c.individuals} ind.) | ${ivs(c.rank1)} | ${ivs(c.map5)} | ${ivs(c.diffRank1, sign)} | ${ivs(c.diffMap5, sign)} | ${ivs(c.ratioRank1, r)} | ${ivs(c.ratioMap5, r)} | ${note} |`;
}

export const COMPARISON_HEADER =
  '| lever | queries (pooled over seeds) | rank-1 [95%] | MAP@5 [95%] | rank-1 diff vs shipped | MAP@5 diff | rank-1 ratio | MAP@5 ratio | chosen in folds |\n|---|---|---|---|---|---|---|---|---|';
