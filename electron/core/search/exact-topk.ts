import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { scoresGraphBytes, topKGraphBytes } from './topk-graph';

/** Top-k hits of a batch of queries: row-major [queries x k'] where k' = min(k, searchable rows). */
export interface TopKResult {
  k: number;
  scores: Float32Array;
  rows: Int32Array;
}

export interface SearchOptions {
  /** onnxruntime execution provider, the same as the embeddings use (e.g. 'cpu', 'cuda'). */
  provider?: string;
  /**
   * Intra-op threads; default: the cores, up to 4. On 2 cores (bench/search.bench.ts, quiet machine)
   * 2 threads search 1M x 128 in 13.5 ms against 26 ms for one; an earlier measurement favouring one
   * thread was taken while 8 other processes shared the 2 cores.
   */
  threads?: number;
  /**
   * Below this many multiply-adds (rows x dim x queries) the plain loop is used. bench/search.bench.ts
   * measured them equal at ~100 x 128 (0.02 ms) and the graph 2-10x faster from 1000 x 128 up.
   */
  loopBelow?: number;
}

/**
 * Exact inner-product top-k over a row-major matrix through onnxruntime (Gemm + TopK), with a
 * plain loop for tiny inputs. `bias[row]` is 0 for searchable rows and -Infinity for rows that
 * a filter leaves out; excluded rows never appear in the result. Ties: lower row first (the
 * ONNX TopK contract, and what the loop does too).
 */
export class ExactTopK {
  private constructor(
    private readonly topk: ort.InferenceSession,
    private readonly scoresSession: ort.InferenceSession,
    readonly provider: string,
    private readonly loopBelow: number,
  ) {}

  static async create(opts: SearchOptions = {}): Promise<ExactTopK> {
    const provider = opts.provider ?? 'cpu';
    const so: ort.InferenceSession.SessionOptions = {
      executionProviders: [provider],
      intraOpNumThreads: opts.threads ?? defaultSearchThreads(),
      graphOptimizationLevel: 'all',
    };
    const [a, b] = await Promise.all([ort.InferenceSession.create(topKGraphBytes(), so), ort.InferenceSession.create(scoresGraphBytes(), so)]);
    return new ExactTopK(a, b, provider, opts.loopBelow ?? 16_384);
  }

  /**
   * gallery: at least n*dim floats (extra capacity is ignored); queries: b*dim floats.
   * allowed: how many rows bias leaves searchable (k is clamped to it); defaults to n.
   */
  async search(gallery: Float32Array, n: number, dim: number, queries: Float32Array, b: number, k: number, bias?: Float32Array, allowed = n): Promise<TopKResult> {
    const kk = Math.max(0, Math.min(Math.floor(k), allowed, n));
    if (kk === 0 || b === 0) return { k: 0, scores: new Float32Array(0), rows: new Int32Array(0) };
    if (n * dim * b < this.loopBelow) return loopTopK(gallery, n, dim, queries, b, kk, bias);
    const g = gallery.length === n * dim ? gallery : gallery.subarray(0, n * dim);
    const biasT = bias ? (bias.length === n ? bias : bias.subarray(0, n)) : new Float32Array(n);
    const out = await this.topk.run({
      queries: new ort.Tensor('float32', queries.length === b * dim ? queries : queries.subarray(0, b * dim), [b, dim]),
      gallery: new ort.Tensor('float32', g, [n, dim]),
      bias: new ort.Tensor('float32', biasT, [n]),
      k: new ort.Tensor('int64', BigInt64Array.from([BigInt(kk)]), [1]),
    });
    const scores = out.values.data as Float32Array;
    const idx = out.indices.data as BigInt64Array;
    const rows = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) rows[i] = Number(idx[i]);
    return { k: kk, scores, rows };
  }

  /** Full score rows [b x n] (calibration needs every score, not just the top). */
  async scores(gallery: Float32Array, n: number, dim: number, queries: Float32Array, b: number): Promise<Float32Array> {
    if (n === 0 || b === 0) return new Float32Array(0);
    if (n * dim * b < this.loopBelow) return loopScores(gallery, n, dim, queries, b);
    const out = await this.scoresSession.run({
      queries: new ort.Tensor('float32', queries.subarray(0, b * dim), [b, dim]),
      gallery: new ort.Tensor('float32', gallery.subarray(0, n * dim), [n, dim]),
    });
    return out.scores.data as Float32Array;
  }

  async release(): Promise<void> {
    await Promise.all([this.topk.release(), this.scoresSession.release()]);
  }
}

/** Cores for the search product: it is memory-bound, so more than 4 rarely pays on a laptop. */
export function defaultSearchThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

export function loopScores(gallery: Float32Array, n: number, dim: number, queries: Float32Array, b: number): Float32Array {
  const out = new Float32Array(b * n);
  for (let q = 0; q < b; q++) {
    const qo = q * dim;
    for (let r = 0; r < n; r++) {
      const o = r * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += gallery[o + j] * queries[qo + j];
      out[q * n + r] = s;
    }
  }
  return out;
}

/** The plain loop: a bounded insertion list per query (k is small next to n). */
export function loopTopK(gallery: Float32Array, n: number, dim: number, queries: Float32Array, b: number, k: number, bias?: Float32Array): TopKResult {
  const kk = Math.min(k, n);
  const scores = new Float32Array(b * kk).fill(-Infinity);
  const rows = new Int32Array(b * kk).fill(-1);
  for (let q = 0; q < b; q++) {
    const qo = q * dim;
    const base = q * kk;
    let filled = 0;
    for (let r = 0; r < n; r++) {
      if (bias && bias[r] === -Infinity) continue;
      const o = r * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += gallery[o + j] * queries[qo + j];
      const f = Math.fround(s + (bias ? bias[r] : 0));
      if (filled === kk && !(f > scores[base + kk - 1])) continue;
      // Strictly greater moves up: an equal score keeps the earlier (lower) row ahead.
      let i = filled < kk ? filled++ : kk - 1;
      while (i > 0 && f > scores[base + i - 1]) {
        scores[base + i] = scores[base + i - 1];
        rows[base + i] = rows[base + i - 1];
        i--;
      }
      scores[base + i] = f;
      rows[base + i] = r;
    }
  }
  // Rows the bias excluded leave the tail unfilled when fewer than k are searchable.
  let minFilled = kk;
  for (let q = 0; q < b; q++) {
    let f = 0;
    while (f < kk && rows[q * kk + f] >= 0) f++;
    minFilled = Math.min(minFilled, f);
  }
  if (minFilled === kk) return { k: kk, scores, rows };
  const s2 = new Float32Array(b * minFilled);
  const r2 = new Int32Array(b * minFilled);
  for (let q = 0; q < b; q++) {
    s2.set(scores.subarray(q * kk, q * kk + minFilled), q * minFilled);
    r2.set(rows.subarray(q * kk, q * kk + minFilled), q * minFilled);
  }
  return { k: minFilled, scores: s2, rows: r2 };
}
