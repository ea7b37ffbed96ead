// The two protocols and the bootstrap statistics shared by the training and boxes benchmarks, so
// every number in bench/README.md comes from the same definitions.
import type { FeatureSet } from '../../electron/core/training/dataset';
import { bootstrapOverIndividuals } from '../../electron/core/training/interval';
import { Rng } from '../../electron/core/training/random';
import type { QueryOutcome } from '../../electron/core/training/retrieval';
import { validationSplit, type EvalSplit } from '../../electron/core/training/split';

export interface ProtocolSplit {
  train: number[];
  evalSplit: EvalSplit;
}

/** Unseen: hold out 30% of individuals; train on every photo of the others. */
export function unseenSplit(set: FeatureSet, seed: number): ProtocolSplit {
  const rng = new Rng(seed * 7 + 1);
  const ids = [...new Set(Array.from(set.label))].sort((a, b) => a - b);
  const held = new Set(rng.shuffle(ids).slice(0, Math.round(ids.length * 0.3)));
  const test: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < set.ids.length; i++) (held.has(set.label[i]) ? test : train).push(i);
  return { train, evalSplit: { queries: test, gallery: test } };
}

/** Re-sighting: the later half of each individual-side's sightings are queries; training sees the rest. */
export function resightSplit(set: FeatureSet, seed: number): ProtocolSplit {
  const s = validationSplit(set, seed, 0);
  return { train: s.train, evalSplit: s.resight };
}

/** Metrics with a bootstrap interval of rank-1 over individuals (the product's bootstrap, training/interval.ts; `rng` seeds it). */
export function summarizeBoot(o: QueryOutcome[], rng: Rng, B = 1000) {
  const e = bootstrapOverIndividuals([{ unseen: o, resight: [] }], B, 1 + rng.int(2 ** 31 - 1)).estimate(0).unseen;
  const top5 = o.filter((q) => q.rank <= 5).length / o.length;
  return { rank1: e.rank1.value, map5: e.map5.value, top5, ci: [e.rank1.lo, e.rank1.hi], queries: e.queries, individuals: e.individuals };
}

/** Paired bootstrap over individuals of (rank-1 of b) - (rank-1 of a), queries in the same order (training/interval.ts). */
export function pairedDiff(a: QueryOutcome[], b: QueryOutcome[], rng: Rng, B = 1000) {
  const d = bootstrapOverIndividuals([{ unseen: a, resight: [] }, { unseen: b, resight: [] }], B, 1 + rng.int(2 ** 31 - 1)).diff(0, 1).unseen.rank1;
  return { mean: d.value, ci: [d.lo, d.hi] };
}

const f3 = (x: number) => x.toFixed(3);

/** One line: `mean [lo, hi]` of the paired rank-1 difference. */
export function pairedLine(a: QueryOutcome[], b: QueryOutcome[], rng: Rng, B = 500): string {
  const d = pairedDiff(a, b, rng, B);
  return `${f3(d.mean)} [${f3(d.ci[0])}, ${f3(d.ci[1])}]`;
}
