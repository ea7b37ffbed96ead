// The two protocols and the bootstrap statistics shared by the training and boxes benchmarks, so
// every number in bench/README.md comes from the same definitions.
import type { FeatureSet } from '../../electron/core/training/dataset';
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

/** Metrics with a bootstrap interval of rank-1 over individuals (queries resampled by individual). */
export function summarizeBoot(o: QueryOutcome[], rng: Rng, B = 1000) {
  const by = new Map<number, QueryOutcome[]>();
  for (const q of o) by.set(q.label, [...(by.get(q.label) ?? []), q]);
  const groups = [...by.values()];
  const stat = (qs: QueryOutcome[]) => ({
    rank1: qs.filter((q) => q.rank === 1).length / qs.length,
    map5: qs.reduce((s, q) => s + (q.rank <= 5 ? 1 / q.rank : 0), 0) / qs.length,
    top5: qs.filter((q) => q.rank <= 5).length / qs.length,
  });
  const boots: number[] = [];
  for (let b = 0; b < B; b++) {
    const qs: QueryOutcome[] = [];
    for (let i = 0; i < groups.length; i++) qs.push(...groups[rng.int(groups.length)]);
    boots.push(stat(qs).rank1);
  }
  boots.sort((a, b) => a - b);
  return { ...stat(o), ci: [boots[Math.floor(B * 0.025)], boots[Math.floor(B * 0.975)]], queries: o.length, individuals: groups.length };
}

/** Paired bootstrap over individuals of (rank-1 of b) - (rank-1 of a), queries in the same order. */
export function pairedDiff(a: QueryOutcome[], b: QueryOutcome[], rng: Rng, B = 1000) {
  const idx = new Map<number, number[]>();
  a.forEach((q, i) => idx.set(q.label, [...(idx.get(q.label) ?? []), i]));
  const groups = [...idx.values()];
  const diff = (ix: number[]) => ix.reduce((s, i) => s + (b[i].rank === 1 ? 1 : 0) - (a[i].rank === 1 ? 1 : 0), 0) / ix.length;
  const boots: number[] = [];
  for (let r = 0; r < B; r++) {
    const ix: number[] = [];
    for (let i = 0; i < groups.length; i++) ix.push(...groups[rng.int(groups.length)]);
    boots.push(diff(ix));
  }
  boots.sort((x, y) => x - y);
  return { mean: diff(a.map((_, i) => i)), ci: [boots[Math.floor(B * 0.025)], boots[Math.floor(B * 0.975)]] };
}

const f3 = (x: number) => x.toFixed(3);

/** One line: `mean [lo, hi]` of the paired rank-1 difference. */
export function pairedLine(a: QueryOutcome[], b: QueryOutcome[], rng: Rng, B = 500): string {
  const d = pairedDiff(a, b, rng, B);
  return `${f3(d.mean)} [${f3(d.ci[0])}, ${f3(d.ci[1])}]`;
}
