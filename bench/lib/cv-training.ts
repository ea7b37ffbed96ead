// Cross-validation over individuals for the training research (issue 15): the product's folds
// (electron/core/training/folds.ts: fold f unseen, the later sightings of fold f+1 queried against
// the rest of the catalog, which the run trains on), dealt from a different shuffle per seed, and
// the product's bootstrap over individuals for intervals and paired differences.
import type { FeatureSet } from '../../electron/core/training/dataset';
import { foldsOf, foldSplit } from '../../electron/core/training/folds';
import { bootstrapOverIndividuals, type ProtocolOutcomes } from '../../electron/core/training/interval';
import type { ValidationSplit } from '../../electron/core/training/split';
import { outcomes } from '../../electron/core/training/validate';
import { l2NormalizeRows } from '../../electron/core/training/vec';
import type { Estimate, ModelEstimate } from '../../electron/contract';

export interface CvFold {
  seed: number;
  fold: number;
  split: ValidationSplit;
}

/** Every (seed, fold) of k-fold CV over individuals, each seed a different deal of individuals into folds. */
export function cvFolds(set: FeatureSet, seeds: number[], k = 5): CvFold[] {
  return seeds.flatMap((seed) => {
    const folds = foldsOf(set, k, 0xf01d + seed * 7919);
    return folds.map((_, fold) => ({ seed, fold, split: foldSplit(set, folds, fold) }));
  });
}

/** Outcomes of one embedding of every sample on one fold's two protocols. */
export function foldOutcomes(set: FeatureSet, f: CvFold, emb: Float32Array, dim: number): ProtocolOutcomes {
  return { unseen: outcomes(set, emb, dim, f.split.unseen), resight: outcomes(set, emb, dim, f.split.resight) };
}

/** Rows of pooled outcomes (same folds, same query order in every row), by name. */
export function cvPool() {
  const rows = new Map<string, ProtocolOutcomes>();
  return {
    rows,
    add(name: string, o: ProtocolOutcomes) {
      const r = rows.get(name) ?? { unseen: [], resight: [] };
      r.unseen.push(...o.unseen);
      r.resight.push(...o.resight);
      rows.set(name, r);
    },
  };
}

const f3 = (x: number) => x.toFixed(3);
const iv = (e: Estimate) => `${f3(e.value)} [${f3(e.lo)}, ${f3(e.hi)}]`;
const ratio = (a: Estimate, b: Estimate) => `${(a.value / b.value).toFixed(2)}x`;

/**
 * The report: per row, rank-1 and MAP@5 on both protocols with 95% intervals, ratio to `reference`,
 * and the paired difference row - reference (its interval must exclude 0 for a gain).
 */
export function printCv(title: string, rows: Map<string, ProtocolOutcomes>, reference: string): Record<string, { estimate: ModelEstimate; diff: ModelEstimate }> {
  const names = [...rows.keys()];
  const ref = names.indexOf(reference);
  const boot = bootstrapOverIndividuals(names.map((n) => rows.get(n)!));
  const r = boot.estimate(ref);
  console.log(`\n${title} (unseen ${r.unseen.queries} queries / ${r.unseen.individuals} individuals; mixed re-sighting ${r.resight.queries} / ${r.resight.individuals})`);
  const out: Record<string, { estimate: ModelEstimate; diff: ModelEstimate }> = {};
  names.forEach((n, i) => {
    const e = boot.estimate(i);
    const d = boot.diff(ref, i);
    out[n] = { estimate: e, diff: d };
    console.log(
      `  ${n.padEnd(28)} unseen r1 ${iv(e.unseen.rank1)} ${ratio(e.unseen.rank1, r.unseen.rank1)} map5 ${f3(e.unseen.map5.value)} ${ratio(e.unseen.map5, r.unseen.map5)} | resight r1 ${iv(e.resight.rank1)} ${ratio(e.resight.rank1, r.resight.rank1)} map5 ${f3(e.resight.map5.value)} ${ratio(e.resight.map5, r.resight.map5)}`,
    );
    if (i !== ref)
      console.log(`  ${''.padEnd(28)} - ${reference}: unseen r1 ${iv(d.unseen.rank1)} map5 ${iv(d.unseen.map5)} | resight r1 ${iv(d.resight.rank1)} map5 ${iv(d.resight.map5)}`);
  });
  return out;
}

/** Row-wise concatenation of equal-width unit embeddings (an ensemble's), renormalised. */
export function concatUnit(parts: Float32Array[], n: number, d: number): Float32Array {
  if (parts.length === 1) return parts[0];
  const out = new Float32Array(n * d * parts.length);
  for (let i = 0; i < n; i++) parts.forEach((p, k) => out.set(p.subarray(i * d, (i + 1) * d), (i * parts.length + k) * d));
  return l2NormalizeRows(out, n, d * parts.length);
}
