import { evaluate, evaluateVectors, metricsOverScoredQueries, type LabelledItem } from '../../electron/core/match/evaluate';

/** A similarity table written out by hand: sim[i][j]. */
const table = (rows: number[][]) => (i: number, j: number) => rows[i][j];

describe('evaluation protocol (datasets/README.md)', () => {
  it('ranks individuals by their best gallery photo and scores rank-1, MAP@5, top-5', () => {
    const items: LabelledItem[] = [{ individual: 'A' }, { individual: 'A' }, { individual: 'B' }, { individual: 'C' }];
    const sim = table([
      [1, 0.5, 0.9, 0.1], // A: B (0.9) beats A (0.5) -> rank 2
      [0.5, 1, 0.2, 0.3], // A: A first -> rank 1
      [0.9, 0.2, 1, 0.4], // B has no other photo -> skipped
      [0.1, 0.3, 0.4, 1], // C skipped
    ]);
    const r = evaluate(items, sim);
    expect(r.ranks).toEqual([2, 1, null, null]);
    expect(r).toMatchObject({ queries: 2, rank1: 0.5, map5: (0.5 + 1) / 2, top5: 1 });
  });

  it('compares like sides only and leaves out the query\'s own sighting', () => {
    const items: LabelledItem[] = [
      { individual: 'A', side: 'left', sighting: 's1' },
      { individual: 'A', side: 'left', sighting: 's1' }, // same sighting as 0: never its gallery
      { individual: 'A', side: 'right', sighting: 's2' }, // other side: never in 0's gallery
      { individual: 'A', side: 'left', sighting: 's3' },
      { individual: 'B', side: 'left', sighting: 's4' },
    ];
    const sim = table([
      [1, 0.99, 0.98, 0.2, 0.5],
      [0.99, 1, 0, 0.6, 0.5],
      [0.98, 0, 1, 0, 0],
      [0.2, 0.6, 0, 1, 0.1],
      [0.5, 0.5, 0, 0.1, 1],
    ]);
    const r = evaluate(items, sim);
    // 0: gallery {3 (A, 0.2), 4 (B, 0.5)} -> rank 2. 1: {3 (0.6), 4 (0.5)} -> 1.
    // 2: right side, no other right photo -> skipped. 3: {0,1 (A 0.6), 4 (0.1)} -> 1. 4: B alone -> skipped.
    expect(r.ranks).toEqual([2, 1, null, 1, null]);
    expect(r.queries).toBe(3);
  });

  it('counts ties against the query and caps MAP@5 at rank 5', () => {
    const items: LabelledItem[] = ['A', 'A', 'B', 'C', 'D', 'E', 'F', 'G'].map((individual) => ({ individual }));
    const row0 = [1, 0.5, 0.5, 0.9, 0.8, 0.7, 0.6, 0.1]; // A ties with B, below C, D, E, F -> rank 6
    const sim = (i: number, j: number) => (i === 0 ? row0[j] : i === 1 ? [0.5, 1, 0, 0, 0, 0, 0, 0.5][j] : 0);
    const r = evaluate(items, sim);
    expect(r.ranks[0]).toBe(6);
    expect(r.ranks[1]).toBe(2); // tie with G counts against
    expect(r.map5).toBeCloseTo((0 + 0.5) / 2);
    expect(metricsOverScoredQueries([1, 2, 5, 6, null])).toEqual({ queries: 4, rank1: 0.25, map5: (1 + 0.5 + 0.2) / 4, top5: 0.75 });
    expect(metricsOverScoredQueries([null])).toEqual({ queries: 0, rank1: 0, map5: 0, top5: 0 });
  });

  it('aggregates by mean of the two best when asked', () => {
    const items: LabelledItem[] = [{ individual: 'Q' }, { individual: 'Q' }, { individual: 'B' }, { individual: 'B' }];
    const row0 = [1, 0.7, 0.9, 0.1]; // best: B 0.9 > Q 0.7; mean2: B (0.9+0.1)/2 = 0.5 < Q 0.7
    const sim = (i: number, j: number) => (i === 0 ? row0[j] : i === j ? 1 : 0.5);
    expect(evaluate(items, sim, 'best').ranks[0]).toBe(2);
    expect(evaluate(items, sim, 'mean2').ranks[0]).toBe(1);
  });

  it('works on in-memory vectors (cosine, normalised)', () => {
    const items: LabelledItem[] = [{ individual: 'A' }, { individual: 'A' }, { individual: 'B' }, { individual: 'B' }];
    const v = Float32Array.from([1, 0, 3, 0.1, 0, 1, 0.1, 2]); // A along x (any length), B along y
    expect(evaluateVectors(items, v, 2)).toMatchObject({ queries: 4, rank1: 1, map5: 1, top5: 1 });
    expect(() => evaluateVectors(items, v, 3)).toThrow(/4 items need 12 floats/);
  });
});
