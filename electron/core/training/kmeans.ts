import type { Rng } from './random';

/**
 * k-means with k-means++ seeding (Lloyd iterations). Deterministic for a given Rng state.
 * Returns a cluster index per row; an empty cluster is re-seeded with the point farthest from its centre.
 */
export function kmeans(x: Float32Array, n: number, dim: number, k: number, rng: Rng, maxIter = 30): Int32Array {
  const assign = new Int32Array(n);
  if (k <= 1 || n === 0) return assign;
  k = Math.min(k, n);
  const c = new Float32Array(k * dim);
  const d2 = new Float64Array(n).fill(Infinity);
  const sq = (i: number, ci: number) => {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const t = x[i * dim + j] - c[ci * dim + j];
      s += t * t;
    }
    return s;
  };
  const first = rng.int(n);
  c.set(x.subarray(first * dim, first * dim + dim), 0);
  for (let ci = 1; ci < k; ci++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      d2[i] = Math.min(d2[i], sq(i, ci - 1));
      total += d2[i];
    }
    let r = rng.next() * total;
    let chosen = n - 1;
    for (let i = 0; i < n; i++) {
      r -= d2[i];
      if (r < 0) {
        chosen = i;
        break;
      }
    }
    c.set(x.subarray(chosen * dim, chosen * dim + dim), ci * dim);
  }
  const counts = new Int32Array(k);
  for (let it = 0; it < maxIter; it++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bd = Infinity;
      for (let ci = 0; ci < k; ci++) {
        const s = sq(i, ci);
        if (s < bd) {
          bd = s;
          best = ci;
        }
      }
      if (it === 0 || assign[i] !== best) changed++;
      assign[i] = best;
    }
    if (changed === 0) break;
    c.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      counts[assign[i]]++;
      for (let j = 0; j < dim; j++) c[assign[i] * dim + j] += x[i * dim + j];
    }
    for (let ci = 0; ci < k; ci++) {
      if (counts[ci] > 0) {
        for (let j = 0; j < dim; j++) c[ci * dim + j] /= counts[ci];
        continue;
      }
      let far = 0;
      let fd = -1;
      for (let i = 0; i < n; i++) {
        const s = sq(i, assign[i]);
        if (s > fd) {
          fd = s;
          far = i;
        }
      }
      c.set(x.subarray(far * dim, far * dim + dim), ci * dim);
    }
  }
  return assign;
}
