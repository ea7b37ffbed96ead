import { candidateFeatures, queryFeatures, rankFromRow, type RankedIndividual } from '../../electron/core/match/open-set/features';
import { fitLogistic, predictLogistic } from '../../electron/core/match/open-set/logistic';
import { OpenSetModel, type QuerySample } from '../../electron/core/match/open-set/model';
import { heldOutQueries, type OpenSetRows } from '../../electron/core/match/open-set/calibrate';
import { heldOutSamples } from '../../electron/core/match/open-set/held-out';
import { rng } from '../helpers/synthetic-catalog';

describe('open-set estimate', () => {
  it('logistic regression recovers known coefficients', () => {
    const r = rng(3);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const a = 2 * r() - 1;
      const b = 2 * r() - 1;
      x.push([a, b]);
      y.push(r() < 1 / (1 + Math.exp(-(0.5 + 3 * a - 2 * b))) ? 1 : 0);
    }
    const f = fitLogistic(x, y, y.map(() => 1), 1e-6);
    for (const [a, b] of [[0, 0], [0.5, -0.5], [-0.8, 0.3]]) {
      expect(predictLogistic(f, [a, b])).toBeCloseTo(1 / (1 + Math.exp(-(0.5 + 3 * a - 2 * b))), 1);
    }
  });

  it('ranks individuals from a score row: best scores first, searchable photos counted, masked rows ignored', () => {
    const row = [0.9, 0.5, 0.8, 0.7, 0.95, 0.2, 0.6];
    const ind = [1, 1, 2, 2, 3, -1, 1];
    const r = rankFromRow(row, row.length, ind, (k) => k !== 4);
    expect(r).toEqual([
      { individualId: 1, scores: [0.9, 0.6, 0.5], count: 3 },
      { individualId: 2, scores: [0.8, 0.7], count: 2 },
    ]);
    const q = queryFeatures(r);
    expect(q[0]).toBeCloseTo(0.9);
    expect(q[1]).toBeCloseTo(0.1); // margin to the second individual
    expect(q[2]).toBeCloseTo(1 / 3); // of the 3 best photos (0.9, 0.8, 0.7), one is ID 1's
    expect(candidateFeatures(r, 1)[1]).toBeCloseTo(0.1);
  });

  it('is calibrated on samples it did not see, and ranks "new" against the candidates by probability', () => {
    // Simulated queries: re-sightings have a high top score and a wide margin, new animals neither.
    const r = rng(5);
    const sample = (isNew: boolean): RankedIndividual[] => {
      const s1 = isNew ? 0.5 + 0.15 * r() : 0.6 + 0.3 * r();
      return Array.from({ length: 10 }, (_, j) => ({ individualId: j, scores: [s1 - (j === 0 ? 0 : (isNew ? 0.02 : 0.1) + 0.02 * j)], count: 3 }));
    };
    const make = (n: number, seed: number) => {
      const out: Array<{ ranked: RankedIndividual[]; isNew: 0 | 1; individual: number }> = [];
      for (let i = 0; i < n; i++) {
        const isNew = i % 3 === 0;
        out.push({ ranked: sample(isNew), isNew: isNew ? 1 : 0, individual: seed * 10000 + i });
      }
      return out;
    };
    const train = make(600, 1);
    const queries: QuerySample[] = train.map((t) => ({ x: queryFeatures(t.ranked), isNew: t.isNew, individual: t.individual }));
    const candidates = train.filter((t) => !t.isNew).flatMap((t) => t.ranked.map((_, j) => ({ x: candidateFeatures(t.ranked, j), correct: (j === 0 ? 1 : 0) as 0 | 1 })));
    const m = OpenSetModel.fit({ queries, candidates, prior: 1 / 3, individuals: 600 });
    expect(m.calibrated).toBe(true);
    expect(m.cv!.brier).toBeLessThan(m.cv!.constant);
    const test = make(900, 2);
    let brier = 0;
    let predNew = 0;
    for (const t of test) {
      const e = m.estimate(t.ranked);
      brier += (e.probability - t.isNew) ** 2;
      predNew += e.probability;
      // The probabilities of "new" and of every candidate add up to at most 1.
      expect(e.probability + e.candidates.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
      // "New" goes before the first candidate less probable than it.
      const before = e.candidates.slice(0, e.rank - 1);
      expect(before.every((p) => p >= e.probability)).toBe(true);
      if (e.rank <= e.candidates.length) expect(e.candidates[e.rank - 1]).toBeLessThan(e.probability);
    }
    expect(brier / test.length).toBeLessThan(0.5 * (1 / 3) * (2 / 3));
    expect(predNew / test.length).toBeGreaterThan(0.25);
    expect(predNew / test.length).toBeLessThan(0.42);
  });

  it('refuses to fit on too few samples or when it cannot beat the prior', () => {
    const few = OpenSetModel.fit({ queries: [{ x: [1], isNew: 1, individual: 1 }], candidates: [], prior: 0.3, individuals: 1 });
    expect(few.calibrated).toBe(false);
    expect(few.estimate([{ individualId: 1, scores: [0.9], count: 1 }])).toMatchObject({ probability: 0.3, rank: 2, calibrated: false });
    expect(few.note).toMatch(/not enough confirmed individuals/);
    // Features that say nothing about the label: the prior wins in cross-validation.
    const r = rng(9);
    const noise: QuerySample[] = Array.from({ length: 400 }, (_, i) => ({ x: [r(), r(), r(), r(), r(), r()], isNew: (r() < 0.3 ? 1 : 0) as 0 | 1, individual: i }));
    const m = OpenSetModel.fit({ queries: noise, candidates: [], prior: 0.3, individuals: 400 });
    expect(m.calibrated).toBe(false);
    expect(m.note).toMatch(/did not beat a constant/);
    expect(m.estimate([])).toMatchObject({ probability: 1, rank: 1 });
  });

  it('without a query model, ranks "new" by the held-out rate against the candidates\' own probabilities', () => {
    // Candidates are told apart (the right one leads by a wide margin), but nothing about the
    // query says whether its animal is catalogued: the query model loses to the constant.
    const r = rng(13);
    const ranked = (clear: boolean): RankedIndividual[] =>
      Array.from({ length: 10 }, (_, j) => ({ individualId: j, scores: [clear ? 0.9 - (j === 0 ? 0 : 0.3 + 0.01 * j) : 0.5 - 0.001 * j], count: 3 }));
    const queries: QuerySample[] = Array.from({ length: 400 }, (_, i) => ({ x: queryFeatures(ranked(i % 2 === 0)), isNew: (r() < 0.4 ? 1 : 0) as 0 | 1, individual: i }));
    const candidates = Array.from({ length: 60 }, (_, i) => ranked(i % 2 === 0)).flatMap((t, i) =>
      t.map((_, j) => ({ x: candidateFeatures(t, j), correct: (i % 2 === 0 ? (j === 0 ? 1 : 0) : r() < 0.05 ? 1 : 0) as 0 | 1 })),
    );
    const m = OpenSetModel.fit({ queries, candidates, prior: 0.1, individuals: 400 });
    expect(m.calibrated).toBe(false);
    expect(m.note).toMatch(/did not beat a constant on this catalog; p ≈ 0\.\d\d, the rate of new animals among its held-out photos/);
    expect(m.note).toContain(m.prior.toFixed(2));
    expect(m.prior).toBeGreaterThan(0.3);
    expect(m.prior).toBeLessThan(0.5);
    // A clear leader is more probable than "new": "new" comes second. A flat list: "new" first.
    const clear = m.estimate(ranked(true));
    expect(clear).toMatchObject({ probability: m.prior, rank: 2, calibrated: false });
    expect(clear.candidates[0]).toBeGreaterThan(m.prior);
    const flat = m.estimate(ranked(false));
    expect(flat.rank).toBe(1);
    expect(flat.candidates.every((p) => p < m.prior)).toBe(true);
    expect(flat.probability + flat.candidates.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
    // Stored with a trained model and read back, it ranks the same.
    expect(OpenSetModel.fromJSON(JSON.parse(JSON.stringify(m))).estimate(ranked(true))).toEqual(clear);
  });

  // Individual 0: three sightings (encounters 10-12, taken in that order); 1: one sighting; 2: two
  // sightings, the one with the larger encounter id taken first; row 7 not identified.
  const rows: OpenSetRows = {
    size: 8,
    individual: [0, 0, 0, 1, 2, 2, 2, -1],
    encounter: [10, 11, 12, 20, 31, 30, 30, -1],
    group: [0, 0, 0, 0, 0, 0, 0, 0],
    order: [1, 2, 3, 1, 4, 5, 5, NaN],
  };

  it('holds individuals out: a fold\'s photos are new, the others\' latest sightings re-sightings, the rest the gallery', () => {
    const { queries, inGallery, foldOf } = heldOutQueries(rows, 2);
    const latest = new Set([2, 5, 6]); // individual 0's encounter 12; individual 2's encounter 30 (both photos)
    for (const f of [0, 1]) {
      const want = [0, 1, 2, 3, 4, 5, 6].filter((r) => foldOf(r) === f || latest.has(r));
      expect(queries.filter((q) => q.fold === f).map((q) => q.row)).toEqual(want);
      for (let r = 0; r < 8; r++) expect(inGallery(f, r)).toBe(r !== 7 && foldOf(r) !== f && !latest.has(r));
    }
  });

  it("reads a validation run's held-out photos: its gallery only, the latest sighting of each re-sighted individual, weighted", () => {
    // Row 1 scores highest against row 2 but is not in the run's gallery; row 0 is.
    const emb = new Float32Array([1, 0, 0.9, 0.1, 0.95, 0.05, 0, 1, 0.2, 0.8, 0.3, 0.7, 0.3, 0.7, 0.5, 0.5]);
    const s = heldOutSamples(rows, emb, 2, [0, 3, 4], [], [1, 2, 5, 6], 4);
    // Re-sighting queries: rows 2 (individual 0's latest) and 5, 6 (individual 2's latest); row 1 is an earlier sighting.
    expect(s.queries.map((q) => q.weight)).toEqual([4, 4, 4]);
    expect(s.queries.every((q) => q.isNew === 0)).toBe(true);
    // Row 2's best candidate is individual 0 through row 0 (row 1 is outside the gallery).
    const top = s.candidates.filter((c) => c.correct === 1);
    expect(top).toHaveLength(3);
    const n = heldOutSamples(rows, emb, 2, [0, 3], [4, 5, 6], [], 4);
    expect(n.queries.map((q) => [q.isNew, q.weight])).toEqual([[1, 1], [1, 1], [1, 1]]);
  });

  it('takes the rate of new from the weighted samples, and survives being stored', () => {
    const r = rng(11);
    const q: QuerySample[] = [
      ...Array.from({ length: 300 }, (_, i) => ({ x: [r()], isNew: 1 as const, individual: i })),
      ...Array.from({ length: 100 }, (_, i) => ({ x: [r()], isNew: 0 as const, individual: 1000 + i, weight: 4 })),
    ];
    const m = OpenSetModel.fit({ queries: q, candidates: [], prior: 0.2, individuals: 400 });
    // Unweighted, 300 of 400 would say 0.75.
    expect(m.prior).toBeCloseTo(300 / 700, 6);
    const back = OpenSetModel.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(back.estimate([{ individualId: 1, scores: [0.5], count: 2 }])).toEqual(m.estimate([{ individualId: 1, scores: [0.5], count: 2 }]));
  });
});
