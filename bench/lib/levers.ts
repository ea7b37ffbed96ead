// The untrained pipeline's levers on a dataset's cached features, as full similarity matrices over the
// protocol of ../shared/datasets/README.md (electron/core/match/evaluate.ts): embeddings from views,
// resolution and feature blocks; gallery statistics; re-ranking on the query's own gallery; encounters.
import { cosineMatrix, evaluate, type LabelledItem } from '../../electron/core/match/evaluate';
import type { Labelled } from './reid-protocol';
import type { Ranks } from './cv';

/** The stored feature's blocks (manifest order) as [offset, length]; the last is the final layer (the shipped embedding). */
export const BLOCKS: Array<[number, number]> = [[0, 96], [96, 576], [672, 160], [832, 320], [1152, 1280]];
export const FINAL = 4;

/**
 * One embedding per photo: per view, the chosen blocks (each L2-normalised, weighted, optionally
 * power-normalised: sign(x)|x|^p before normalising), the views' embeddings averaged, L2-normalised.
 */
export function embedViews(views: Float32Array[], n: number, dimIn: number, opts: { blocks?: Array<[number, number]>; power?: number } = {}): { vectors: Float32Array; dim: number } {
  const blocks = opts.blocks ?? [[FINAL, 1]];
  const dim = blocks.reduce((s, [b]) => s + BLOCKS[b][1], 0);
  const out = new Float32Array(n * dim);
  const tmp = new Float32Array(dim);
  for (let i = 0; i < n; i++) {
    for (const rows of views) {
      let o = 0;
      for (const [b, w] of blocks) {
        const [off, len] = BLOCKS[b];
        let ss = 0;
        for (let j = 0; j < len; j++) {
          let x = rows[i * dimIn + off + j];
          if (opts.power !== undefined && opts.power !== 1) x = Math.sign(x) * Math.abs(x) ** opts.power;
          tmp[o + j] = x;
          ss += x * x;
        }
        const inv = ss > 0 ? w / Math.sqrt(ss) : 0;
        for (let j = 0; j < len; j++) tmp[o + j] *= inv;
        o += len;
      }
      normaliseInto(tmp, 0, dim);
      for (let j = 0; j < dim; j++) out[i * dim + j] += tmp[j];
    }
    normaliseInto(out, i * dim, dim);
  }
  return { vectors: out, dim };
}

function normaliseInto(v: Float32Array, off: number, len: number): void {
  let ss = 0;
  for (let j = off; j < off + len; j++) ss += v[j] * v[j];
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let j = off; j < off + len; j++) v[j] *= inv;
}

/** Subtracts a mean vector (of the `fit` rows) from every row and re-normalises: centring on the catalog. */
export function centre(vectors: Float32Array, n: number, dim: number, fit: (i: number) => boolean = () => true): Float32Array {
  const mean = new Float64Array(dim);
  let m = 0;
  for (let i = 0; i < n; i++) if (fit(i)) {
    m++;
    for (let j = 0; j < dim; j++) mean[j] += vectors[i * dim + j];
  }
  const out = new Float32Array(vectors.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) out[i * dim + j] = vectors[i * dim + j] - mean[j] / m;
    normaliseInto(out, i * dim, dim);
  }
  return out;
}

/** Principal directions of the `fit` rows (subspace iteration on the covariance): mean, top `components` directions, eigenvalues. */
export function pcaFit(vectors: Float32Array, n: number, dim: number, fit: (i: number) => boolean, components: number, iterations = 12): { mean: Float64Array; Q: Float64Array; lambda: Float64Array } {
  const rows = [...Array(n).keys()].filter(fit);
  const mean = new Float64Array(dim);
  for (const i of rows) for (let j = 0; j < dim; j++) mean[j] += vectors[i * dim + j] / rows.length;
  const C = new Float64Array(dim * dim);
  const x = new Float64Array(dim);
  for (const i of rows) {
    for (let j = 0; j < dim; j++) x[j] = vectors[i * dim + j] - mean[j];
    for (let a = 0; a < dim; a++) {
      const xa = x[a];
      if (xa === 0) continue;
      const ca = a * dim;
      for (let b = a; b < dim; b++) C[ca + b] += xa * x[b];
    }
  }
  for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) C[a * dim + b] = C[b * dim + a];
  const m = components;
  let Q = new Float64Array(m * dim);
  let seed = 12345;
  for (let i = 0; i < Q.length; i++) Q[i] = (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296 - 0.5;
  const lambda = new Float64Array(m);
  for (let it = 0; it < iterations; it++) {
    const Z = new Float64Array(m * dim);
    for (let k = 0; k < m; k++) {
      for (let a = 0; a < dim; a++) {
        let s = 0;
        const ca = a * dim;
        for (let b = 0; b < dim; b++) s += C[ca + b] * Q[k * dim + b];
        Z[k * dim + a] = s;
      }
    }
    for (let k = 0; k < m; k++) {
      for (let p = 0; p < k; p++) {
        let d = 0;
        for (let a = 0; a < dim; a++) d += Z[k * dim + a] * Z[p * dim + a];
        for (let a = 0; a < dim; a++) Z[k * dim + a] -= d * Z[p * dim + a];
      }
      let ss = 0;
      for (let a = 0; a < dim; a++) ss += Z[k * dim + a] ** 2;
      const norm = Math.sqrt(ss);
      lambda[k] = norm / rows.length;
      for (let a = 0; a < dim; a++) Z[k * dim + a] /= norm || 1;
    }
    Q = Z;
  }
  return { mean, Q, lambda };
}

/** PCA whitening: centre, project on the first `components` directions of a fit, scale each by eigenvalue^-beta (0.5 = full whitening), L2-normalise. */
export function pcaWhiten(vectors: Float32Array, n: number, dim: number, fit: ReturnType<typeof pcaFit>, components: number, beta: number): { vectors: Float32Array; dim: number } {
  const m = components;
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let a = 0; a < dim; a++) s += (vectors[i * dim + a] - fit.mean[a]) * fit.Q[k * dim + a];
      out[i * m + k] = s * Math.pow(fit.lambda[k] + 1e-9, -beta);
    }
    normaliseInto(out, i * m, m);
  }
  return { vectors: out, dim: m };
}

export function gram(vectors: Float32Array, n: number, dim: number): Float32Array {
  return cosineMatrix(vectors, n, dim);
}

/** Ranks of every photo under the protocol (best photo per individual unless told). */
export function ranksOf(items: LabelledItem[], sim: Float32Array, aggregation: 'best' | 'mean2' = 'best'): Ranks {
  return evaluate(items, sim, aggregation).ranks;
}

/** Whether j is in the query i's gallery under the protocol (same side, not its sighting, not itself). */
export function inGallery(labels: Labelled[], i: number, j: number): boolean {
  if (i === j) return false;
  const q = labels[i];
  const g = labels[j];
  if (q.side && g.side !== q.side) return false;
  if (q.sighting && g.sighting === q.sighting) return false;
  return true;
}

/**
 * Alpha query expansion on the query's own gallery: q' = q + sum over its top-k gallery photos of
 * max(s, 0)^alpha * g, and the new similarities q'.x / |q'|, computed from the cosine matrix.
 */
export function queryExpansion(labels: Labelled[], S: Float32Array, k: number, alpha: number): Float32Array {
  const n = labels.length;
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const top = topGallery(labels, S, i, k);
    const w = [1, ...top.map((j) => Math.max(0, S[i * n + j]) ** alpha)];
    const ids = [i, ...top];
    let norm = 0;
    for (let a = 0; a < ids.length; a++) for (let b = 0; b < ids.length; b++) norm += w[a] * w[b] * S[ids[a] * n + ids[b]];
    const inv = 1 / Math.sqrt(Math.max(norm, 1e-12));
    for (let x = 0; x < n; x++) {
      let s = 0;
      for (let a = 0; a < ids.length; a++) s += w[a] * S[ids[a] * n + x];
      out[i * n + x] = s * inv;
    }
  }
  return out;
}

function topGallery(labels: Labelled[], S: Float32Array, i: number, k: number, allowed: (j: number) => boolean = (j) => inGallery(labels, i, j)): number[] {
  const n = labels.length;
  const top: number[] = [];
  for (let j = 0; j < n; j++) {
    if (!allowed(j)) continue;
    const s = S[i * n + j];
    if (top.length < k || s > S[i * n + top[top.length - 1]]) {
      let p = Math.min(top.length, k - 1);
      if (top.length < k) top.push(j);
      while (p > 0 && S[i * n + top[p - 1]] < s) {
        top[p] = top[p - 1];
        p--;
      }
      top[p] = j;
    }
  }
  return top;
}

/**
 * Database-side augmentation: every gallery photo g becomes g + sum of its top-k neighbours among the
 * photos of its side, weighted max(s, 0)^alpha; neighbours of the query's own sighting are skipped for
 * that query (the query is never in the catalog it searches).
 */
export function databaseAugmentation(labels: Labelled[], S: Float32Array, k: number, alpha: number): Float32Array {
  const n = labels.length;
  const extra = 4;
  const cand = labels.map((lg, g) => topGallery(labels, S, g, k + extra, (j) => j !== g && (!lg.side || labels[j].side === lg.side)));
  const out = new Float32Array(n * n);
  const ids: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const own = labels[i].sighting;
    for (let g = 0; g < n; g++) {
      ids.length = 0;
      w.length = 0;
      ids.push(g);
      w.push(1);
      for (const j of cand[g]) {
        if (ids.length > k) break;
        if (j === i || (own && labels[j].sighting === own)) continue;
        ids.push(j);
        w.push(Math.max(0, S[g * n + j]) ** alpha);
      }
      let norm = 0;
      let s = 0;
      for (let a = 0; a < ids.length; a++) {
        s += w[a] * S[i * n + ids[a]];
        for (let b = 0; b < ids.length; b++) norm += w[a] * w[b] * S[ids[a] * n + ids[b]];
      }
      out[i * n + g] = s / Math.sqrt(Math.max(norm, 1e-12));
    }
  }
  return out;
}

/**
 * Encounter-level ranks: the photos of a query's sighting are queried together; an individual's score is
 * the mean (or max) over those photos of its best gallery photo of that photo's side. A query is skipped
 * exactly when the per-photo protocol skips it, so the query set is unchanged.
 */
export function encounterRanks(labels: Labelled[], S: Float32Array, fuse: 'mean' | 'max' | 'sum'): Ranks {
  const n = labels.length;
  const bySighting = new Map<string, number[]>();
  labels.forEach((l, i) => l.sighting && (bySighting.get(l.sighting) ?? bySighting.set(l.sighting, []).get(l.sighting)!).push(i));
  const bestOf = (i: number) => {
    const best = new Map<string, number>();
    for (let j = 0; j < n; j++) {
      if (!inGallery(labels, i, j)) continue;
      const b = best.get(labels[j].individual);
      if (b === undefined || S[i * n + j] > b) best.set(labels[j].individual, S[i * n + j]);
    }
    return best;
  };
  const cache = new Map<number, Map<string, number>>();
  const best = (i: number) => cache.get(i) ?? cache.set(i, bestOf(i)).get(i)!;
  return labels.map((q, i) => {
    if (!best(i).has(q.individual)) return null;
    const group = q.sighting ? bySighting.get(q.sighting)! : [i];
    const fused = new Map<string, { s: number; c: number }>();
    for (const p of group) {
      for (const [ind, s] of best(p)) {
        const f = fused.get(ind) ?? { s: fuse === 'max' ? -Infinity : 0, c: 0 };
        f.s = fuse === 'max' ? Math.max(f.s, s) : f.s + s;
        f.c++;
        fused.set(ind, f);
      }
    }
    const score = (f: { s: number; c: number }) => (fuse === 'mean' ? f.s / f.c : f.s);
    const mine = score(fused.get(q.individual)!);
    let rank = 1;
    for (const [ind, f] of fused) if (ind !== q.individual && score(f) >= mine) rank++;
    return rank;
  });
}

/** Ranks with an individual scored by 'best' photo, 'mean2' (mean of its two best) or 'mean' (all its gallery photos). */
export function aggregatedRanks(labels: Labelled[], S: Float32Array, aggregation: 'best' | 'mean2' | 'mean'): Ranks {
  if (aggregation !== 'mean') return ranksOf(labels, S, aggregation);
  const n = labels.length;
  return labels.map((q, i) => {
    const acc = new Map<string, { s: number; c: number }>();
    for (let j = 0; j < n; j++) {
      if (!inGallery(labels, i, j)) continue;
      const a = acc.get(labels[j].individual) ?? { s: 0, c: 0 };
      a.s += S[i * n + j];
      a.c++;
      acc.set(labels[j].individual, a);
    }
    const own = acc.get(q.individual);
    if (!own) return null;
    const mine = own.s / own.c;
    let rank = 1;
    for (const [ind, a] of acc) if (ind !== q.individual && a.s / a.c >= mine) rank++;
    return rank;
  });
}
