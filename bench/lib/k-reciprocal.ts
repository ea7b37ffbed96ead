// k-reciprocal re-ranking (Zhong, Zheng, Cao, Li, CVPR 2017) on the exact top-k a search returns: the
// query and its top-k gallery photos form a small set; within it, each photo's k1-reciprocal
// neighbours (expanded by those of its k1/2-reciprocal neighbours that mostly agree) become a
// Gaussian-weighted vector, averaged over its k2 nearest (local query expansion); the Jaccard distance
// of the query's vector to each candidate's, mixed with the original distance (weight lambda), re-orders
// the top-k. Photos beyond the top-k keep their order, below it. Only what the index returned is used.

export interface KReciprocal {
  topK: number;
  k1: number;
  k2: number;
  lambda: number;
}

/**
 * New scores of the top-k candidates of one query (higher is better, in (-1, 0]): `sim(a, b)` is the
 * cosine of local items a and b, item 0 the query, items 1..N-1 its candidates.
 */
export function reRankLocal(N: number, sim: (a: number, b: number) => number, p: KReciprocal): Float64Array {
  const dist = new Float64Array(N * N);
  for (let a = 0; a < N; a++) {
    let max = 0;
    for (let b = 0; b < N; b++) {
      const d = Math.max(0, 2 - 2 * (a === b ? 1 : sim(a, b)));
      dist[a * N + b] = d;
      if (d > max) max = d;
    }
    if (max > 0) for (let b = 0; b < N; b++) dist[a * N + b] /= max;
  }
  const rank: Int32Array[] = [];
  for (let a = 0; a < N; a++) {
    const row = Int32Array.from({ length: N }, (_, b) => b);
    row.sort((x, y) => dist[a * N + x] - dist[a * N + y] || (x === a ? -1 : y === a ? 1 : x - y));
    rank.push(row);
  }
  const reciprocal = (a: number, k: number): number[] => {
    const fwd = rank[a].subarray(0, Math.min(N, k + 1));
    const out: number[] = [];
    for (const b of fwd) {
      const back = rank[b].subarray(0, Math.min(N, k + 1));
      if (back.includes(a)) out.push(b);
    }
    return out;
  };
  const V = new Float64Array(N * N);
  const half = Math.max(1, Math.round(p.k1 / 2));
  for (let a = 0; a < N; a++) {
    const base = reciprocal(a, p.k1);
    const baseSet = new Set(base);
    const set = new Set(base);
    for (const c of base) {
      const cand = reciprocal(c, half);
      let shared = 0;
      for (const x of cand) if (baseSet.has(x)) shared++;
      if (shared > (2 / 3) * cand.length) for (const x of cand) set.add(x);
    }
    let sum = 0;
    for (const b of set) sum += (V[a * N + b] = Math.exp(-dist[a * N + b]));
    for (const b of set) V[a * N + b] /= sum;
  }
  let Vq = V;
  if (p.k2 > 1) {
    Vq = new Float64Array(N * N);
    for (let a = 0; a < N; a++) {
      const nn = rank[a].subarray(0, Math.min(N, p.k2));
      for (const b of nn) for (let c = 0; c < N; c++) Vq[a * N + c] += V[b * N + c] / nn.length;
    }
  }
  const out = new Float64Array(N);
  for (let b = 1; b < N; b++) {
    let inter = 0;
    for (let c = 0; c < N; c++) inter += Math.min(Vq[c], Vq[b * N + c]);
    const jaccard = 1 - inter / (2 - inter);
    out[b] = -((1 - p.lambda) * jaccard + p.lambda * dist[b]);
  }
  return out;
}

/**
 * The similarity matrix after re-ranking every query's top-k among `gallery(i, j)`, from a full cosine
 * matrix S (n x n): re-ranked candidates score above every other gallery photo, which keeps its cosine.
 */
export function kReciprocalSims(n: number, S: Float32Array, gallery: (i: number, j: number) => boolean, p: KReciprocal): Float32Array {
  const out = new Float32Array(n * n);
  const top: number[] = [];
  for (let i = 0; i < n; i++) {
    top.length = 0;
    for (let j = 0; j < n; j++) if (gallery(i, j)) top.push(j);
    top.sort((a, b) => S[i * n + b] - S[i * n + a]);
    const cands = top.slice(0, p.topK);
    const local = [i, ...cands];
    const scores = reRankLocal(local.length, (a, b) => S[local[a] * n + local[b]], p);
    for (let j = 0; j < n; j++) out[i * n + j] = S[i * n + j] - 10;
    cands.forEach((j, c) => (out[i * n + j] = 10 + scores[c + 1]));
  }
  return out;
}
