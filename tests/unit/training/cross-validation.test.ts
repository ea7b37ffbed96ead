import { dealIndividuals, foldCount, foldsOf, foldSplit } from '../../../electron/core/training/folds';
import { bootstrapOverIndividuals } from '../../../electron/core/training/interval';
import { resolveOptions } from '../../../electron/core/training/options';
import { runTraining } from '../../../electron/core/training/run-training';
import { syntheticSet } from './synthetic';

describe('cross-validation folds over individuals', () => {
  it('holds each fold out once: its individuals unseen, the next fold\'s later sightings queried against what the run trains on', () => {
    const set = syntheticSet(1);
    const k = foldCount(set, 5);
    expect(k).toBe(5);
    const folds = foldsOf(set, k);
    expect(folds.flat().sort((a, b) => a - b)).toEqual([...new Set(set.label)].sort((a, b) => a - b));
    expect(foldsOf(set, k)).toEqual(folds); // a fixed deal: runs on the same catalog share folds
    const unseenTimes = new Map<number, number>();
    const resightTimes = new Map<number, number>();
    for (let f = 0; f < k; f++) {
      const s = foldSplit(set, folds, f);
      const train = new Set(s.train);
      for (const q of s.unseen.queries) {
        expect(folds[f]).toContain(set.label[q]);
        unseenTimes.set(set.label[q], (unseenTimes.get(set.label[q]) ?? 0) + 1);
      }
      for (const t of s.train) expect(folds[f]).not.toContain(set.label[t]);
      for (const q of s.resight.queries) {
        expect(folds[(f + 1) % k]).toContain(set.label[q]);
        expect(train.has(q)).toBe(false);
        resightTimes.set(set.label[q], 1);
        for (const t of s.train) if (set.label[t] === set.label[q]) expect(set.order[t]).toBeLessThan(set.order[q]);
      }
      expect(s.resight.gallery).toEqual(s.train);
    }
    expect(unseenTimes.size).toBe(40);
    expect(resightTimes.size).toBe(40);
    expect(foldCount(syntheticSet(1, 5), 5)).toBe(2); // at least two individuals per fold
  });
});

describe('bootstrap over individuals', () => {
  it('gives the point estimate inside its interval, and a paired difference of identical outcomes of exactly zero', () => {
    const unseen = Array.from({ length: 60 }, (_, i) => ({ label: i % 20, rank: (i % 3) + 1 }));
    const better = unseen.map((q) => ({ ...q, rank: 1 }));
    const resight = Array.from({ length: 30 }, (_, i) => ({ label: i % 15, rank: (i % 15) % 2 ? 1 : 7 }));
    const b = bootstrapOverIndividuals([{ unseen, resight }, { unseen: better, resight }, { unseen, resight }]);
    const e = b.estimate(0);
    expect(e.unseen.rank1.value).toBeCloseTo(1 / 3, 10);
    expect(e.unseen.map5.value).toBeCloseTo((1 + 1 / 2 + 1 / 3) / 3, 10);
    expect(e.unseen).toMatchObject({ queries: 60, individuals: 20 });
    expect(e.resight.rank1.value).toBeCloseTo(7 / 15, 10);
    // Every individual here has the same rank-1 (1/3), so resampling individuals cannot move it; re-sightings vary by individual.
    expect(e.unseen.rank1).toEqual({ value: e.unseen.rank1.value, lo: e.unseen.rank1.value, hi: e.unseen.rank1.value });
    expect(e.resight.rank1.lo).toBeLessThan(7 / 15 - 0.1);
    expect(e.resight.rank1.hi).toBeGreaterThan(7 / 15 + 0.1);
    expect(b.diff(0, 2).score).toEqual({ value: 0, lo: 0, hi: 0 });
    const d = b.diff(0, 1);
    expect(d.unseen.rank1.value).toBeCloseTo(2 / 3, 10);
    expect(d.unseen.rank1.lo).toBeGreaterThan(0.5);
    expect(d.resight.rank1).toEqual({ value: 0, lo: 0, hi: 0 });
    // Ratio on the same draws: 1 / (1/3) = 3 exactly, since every draw's unseen rank-1 is 1/3 and 1.
    expect(b.ratio(0, 1).unseen.rank1).toEqual({ value: 3, lo: 3, hi: 3 });
    expect(b.ratio(0, 2).resight.rank1).toEqual({ value: 1, lo: 1, hi: 1 });
  });

  it('deals the same individuals into the same folds whether they are labelled by number or by name', () => {
    const names = ['7', '3', '9', '1', '5', '3', '7'];
    const byName = dealIndividuals(names, 2, 11);
    expect(byName.flat().sort()).toEqual(['1', '3', '5', '7', '9']);
    expect(byName.map((f) => f.length)).toEqual([3, 2]);
    expect(dealIndividuals(names.map(Number), 2, 11)).toEqual(byName.map((f) => f.map(Number)));
    expect(dealIndividuals(names, 2, 12)).not.toEqual(byName);
  });
});

describe('the time budget', () => {
  it('stops starting folds once another fold and the final run would not fit, after at least two', async () => {
    const set = syntheticSet(2);
    const o = resolveOptions({ learners: 1, dim: 16, epochs: 3, seed: 1 });
    const r = await runTraining(set, [{ role: 'candidate', options: o }], { folds: 5, budgetSeconds: 1e-6 });
    expect(r).toMatchObject({ folds: 2, foldsPlanned: 5 });
    expect(new Set(r.outcomes.map((t) => t.fold))).toEqual(new Set([0, 1]));
    const all = await runTraining(set, [{ role: 'candidate', options: o }], { folds: 5 });
    expect(all).toMatchObject({ folds: 5, foldsPlanned: 5 });
  });
});
