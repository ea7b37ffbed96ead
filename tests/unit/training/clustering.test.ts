import { hungarian, matchClusters } from '../../../electron/core/training/hungarian';
import { kmeans } from '../../../electron/core/training/kmeans';
import { Rng } from '../../../electron/core/training/random';

describe('Hungarian assignment', () => {
  it('finds the minimum-cost assignment of a known case', () => {
    // Classic example: optimum 4 + 2 + ... checked by brute force below.
    const cost = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    expect(hungarian(cost)).toEqual([1, 0, 2]); // 1 + 2 + 2 = 5
  });

  it('agrees with brute force on random 5x5 matrices', () => {
    const rng = new Rng(11);
    const perms = (a: number[]): number[][] => (a.length <= 1 ? [a] : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [x, ...p])));
    const all = perms([0, 1, 2, 3, 4]);
    for (let t = 0; t < 20; t++) {
      const c = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => rng.int(20) - 5));
      const best = Math.min(...all.map((p) => p.reduce((s, j, i) => s + c[i][j], 0)));
      const got = hungarian(c);
      expect(new Set(got).size).toBe(5);
      expect(got.reduce((s, j, i) => s + c[i][j], 0)).toBe(best);
    }
  });

  it('keeps each learner on the cluster most like its previous one', () => {
    const previous = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const next = Int32Array.from([2, 2, 1, 0, 0, 0, 1, 1, 1]); // cluster labels permuted, one sample moved
    expect(Array.from(matchClusters(previous, next, 3))).toEqual([0, 0, 2, 1, 1, 1, 2, 2, 2]);
  });
});

describe('k-means', () => {
  it('recovers well-separated clusters, deterministically for a seed', () => {
    const rng = new Rng(4);
    const centres = [
      [0, 0],
      [10, 0],
      [0, 10],
      [10, 10],
    ];
    const n = 80;
    const x = new Float32Array(n * 2);
    const truth: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = i % 4;
      truth.push(c);
      x[2 * i] = centres[c][0] + rng.normal() * 0.5;
      x[2 * i + 1] = centres[c][1] + rng.normal() * 0.5;
    }
    const a = kmeans(x, n, 2, 4, new Rng(9));
    // Same truth cluster <=> same found cluster.
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(a[i] === a[j]).toBe(truth[i] === truth[j]);
    expect(Array.from(kmeans(x, n, 2, 4, new Rng(9)))).toEqual(Array.from(a));
  });
});
