import type { MarginOptions } from '../../contract';
import type { Rng } from './random';


export const defaultMargin: MarginOptions = { alpha: 0.2, cutoff: 0.5, nonzeroLossCutoff: 1.4 };

export interface Triplet {
  a: number;
  p: number;
  n: number;
}

export interface MarginResult {
  loss: number;
  /** dL/de, same shape as the embeddings. */
  grad: Float32Array;
  /** dL/dbeta. */
  gradBeta: number;
  /** Terms with non-zero loss (the normaliser). */
  active: number;
}

function distances(e: Float32Array, n: number, dim: number): Float32Array {
  const d = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) {
        const t = e[i * dim + k] - e[j * dim + k];
        s += t * t;
      }
      const v = Math.sqrt(s + 1e-8);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return d;
}

/**
 * Distance-weighted negative sampling (Wu et al. 2017): on the unit sphere in `dim` dimensions,
 * pairwise distances concentrate near sqrt(2); weighting negatives by the inverse of that density
 * picks them uniformly over distance, clipped at `cutoff`, never beyond `nonzeroLossCutoff`.
 * One negative per (anchor, positive) pair.
 */
export function sampleTriplets(e: Float32Array, labels: ArrayLike<number>, n: number, dim: number, rng: Rng, o: MarginOptions = defaultMargin): Triplet[] {
  const d = distances(e, n, dim);
  const out: Triplet[] = [];
  const logw = new Float64Array(n);
  const w = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const dist = Math.max(d[a * n + j], o.cutoff);
      logw[j] = (2 - dim) * Math.log(dist) - ((dim - 3) / 2) * Math.log(Math.max(1 - 0.25 * dist * dist, 1e-8));
      if (labels[j] !== labels[a] && logw[j] > max) max = logw[j];
    }
    let sum = 0;
    const negatives: number[] = [];
    for (let j = 0; j < n; j++) {
      w[j] = 0;
      if (labels[j] === labels[a]) continue;
      negatives.push(j);
      if (d[a * n + j] < o.nonzeroLossCutoff) w[j] = Math.exp(logw[j] - max);
      sum += w[j];
    }
    if (!negatives.length) continue;
    for (let p = 0; p < n; p++) {
      if (p === a || labels[p] !== labels[a]) continue;
      let neg: number;
      if (sum > 0) {
        let r = rng.next() * sum;
        neg = negatives[negatives.length - 1];
        for (const j of negatives) {
          r -= w[j];
          if (r <= 0 && w[j] > 0) {
            neg = j;
            break;
          }
        }
      } else neg = negatives[rng.int(negatives.length)];
      out.push({ a, p, n: neg });
    }
  }
  return out;
}

/**
 * Margin loss: mean over active terms of [d(a,p) - beta + alpha]+ + [beta - d(a,n) + alpha]+,
 * with its gradient with respect to the embeddings and to beta.
 */
export function marginLoss(e: Float32Array, n: number, dim: number, triplets: Triplet[], beta: number, o: MarginOptions = defaultMargin): MarginResult {
  const grad = new Float32Array(n * dim);
  let loss = 0;
  let active = 0;
  let gradBeta = 0;
  const dist = (i: number, j: number) => {
    let s = 0;
    for (let k = 0; k < dim; k++) {
      const t = e[i * dim + k] - e[j * dim + k];
      s += t * t;
    }
    return Math.sqrt(s + 1e-8);
  };
  // Gradient terms are collected first and scaled by 1/active at the end.
  const terms: Array<[number, number, number, number]> = [];
  for (const t of triplets) {
    const dap = dist(t.a, t.p);
    const dan = dist(t.a, t.n);
    const lp = dap - beta + o.alpha;
    const ln = beta - dan + o.alpha;
    if (lp > 0) {
      loss += lp;
      active++;
      gradBeta -= 1;
      terms.push([t.a, t.p, dap, 1]);
    }
    if (ln > 0) {
      loss += ln;
      active++;
      gradBeta += 1;
      terms.push([t.a, t.n, dan, -1]);
    }
  }
  const norm = active > 0 ? 1 / active : 1;
  for (const [i, j, dij, sign] of terms) {
    const f = (sign * norm) / dij;
    for (let k = 0; k < dim; k++) {
      const g = f * (e[i * dim + k] - e[j * dim + k]);
      grad[i * dim + k] += g;
      grad[j * dim + k] -= g;
    }
  }
  return { loss: loss * norm, grad, gradBeta: gradBeta * norm, active };
}
