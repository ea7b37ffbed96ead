import { ExactTopK, loopTopK } from '../../electron/core/search/exact-topk';
import { randomUnit, rng } from '../helpers/synthetic-catalog';

/** Brute force in float64: every (row, score) sorted by score desc, then row asc. */
function brute(g: Float32Array, n: number, d: number, q: Float32Array, bias?: Float32Array) {
  const all: Array<{ row: number; score: number }> = [];
  for (let r = 0; r < n; r++) {
    if (bias && bias[r] === -Infinity) continue;
    let s = 0;
    for (let j = 0; j < d; j++) s += g[r * d + j] * q[j];
    all.push({ row: r, score: s });
  }
  return all.sort((a, b) => b.score - a.score || a.row - b.row);
}

function matrix(r: () => number, n: number, d: number): Float32Array {
  const g = new Float32Array(n * d);
  for (let i = 0; i < n; i++) g.set(randomUnit(r, d), i * d);
  return g;
}

describe('exact top-k (onnxruntime Gemm + TopK, and the plain loop)', () => {
  let onnx: ExactTopK;
  let onnxOnly: ExactTopK; // loopBelow 0: always the graph, even for tiny inputs
  beforeAll(async () => {
    onnx = await ExactTopK.create({ provider: 'cpu' });
    onnxOnly = await ExactTopK.create({ provider: 'cpu', loopBelow: 0 });
  });
  afterAll(async () => {
    await onnx.release();
    await onnxOnly.release();
  });

  it('agrees with brute force on random data, batched, both paths', async () => {
    const r = rng(1);
    const n = 3000;
    const d = 64;
    const b = 7;
    const g = matrix(r, n, d);
    const q = matrix(r, b, d);
    for (const s of [onnx, onnxOnly]) {
      const res = await s.search(g, n, d, q, b, 25);
      expect(res.k).toBe(25);
      for (let i = 0; i < b; i++) {
        const want = brute(g, n, d, q.subarray(i * d, (i + 1) * d)).slice(0, 25);
        expect(Array.from(res.rows.subarray(i * 25, (i + 1) * 25))).toEqual(want.map((w) => w.row));
        want.forEach((w, j) => expect(res.scores[i * 25 + j]).toBeCloseTo(w.score, 5));
      }
    }
    const loop = loopTopK(g, n, d, q, b, 25);
    const graph = await onnxOnly.search(g, n, d, q, b, 25);
    expect(Array.from(loop.rows)).toEqual(Array.from(graph.rows));
  });

  it('breaks exact ties by the lower row, on both paths', async () => {
    // Small integer components: every product is exact in float32, so ties are real ties.
    const r = rng(2);
    const n = 500;
    const d = 16;
    const g = new Float32Array(n * d);
    const protos = Array.from({ length: 5 }, () => Array.from({ length: d }, () => Math.floor(r() * 3) - 1));
    for (let i = 0; i < n; i++) g.set(protos[i % 5], i * d);
    const q = Float32Array.from(protos[2]);
    const want = brute(g, n, d, q).slice(0, 150);
    for (const s of [onnxOnly]) {
      const res = await s.search(g, n, d, q, 1, 150);
      expect(Array.from(res.rows)).toEqual(want.map((w) => w.row));
      expect(Array.from(res.scores)).toEqual(want.map((w) => Math.fround(w.score)));
    }
    expect(Array.from(loopTopK(g, n, d, q, 1, 150).rows)).toEqual(want.map((w) => w.row));
  });

  it('returns the whole gallery, sorted, when k is larger than it', async () => {
    const r = rng(3);
    const g = matrix(r, 9, 8);
    const q = randomUnit(r, 8);
    for (const s of [onnx, onnxOnly]) {
      const res = await s.search(g, 9, 8, q, 1, 50);
      expect(res.k).toBe(9);
      expect(Array.from(res.rows)).toEqual(brute(g, 9, 8, q).map((w) => w.row));
    }
    expect((await onnx.search(g, 0, 8, q, 1, 5)).k).toBe(0);
  });

  it('never returns rows the mask excludes, and clamps k to what is left', async () => {
    const r = rng(4);
    const n = 2000;
    const d = 32;
    const g = matrix(r, n, d);
    const q = randomUnit(r, d);
    const bias = new Float32Array(n);
    let allowed = 0;
    for (let i = 0; i < n; i++) {
      if (i % 97 === 0) allowed++;
      else bias[i] = -Infinity;
    }
    const want = brute(g, n, d, q, bias);
    expect(want.length).toBe(allowed);
    for (const s of [onnx, onnxOnly]) {
      const res = await s.search(g, n, d, q, 1, 100, bias, allowed);
      expect(res.k).toBe(allowed);
      expect(Array.from(res.rows)).toEqual(want.map((w) => w.row));
    }
    const loop = loopTopK(g, n, d, q, 1, 100, bias);
    expect(Array.from(loop.rows)).toEqual(want.map((w) => w.row));
  });

  it('ignores spare capacity beyond n rows', async () => {
    const r = rng(5);
    const g = matrix(r, 100, 16);
    const q = randomUnit(r, 16);
    g.set(q, 99 * 16); // the best row, but outside the first 60
    const res = await onnxOnly.search(g, 60, 16, q, 1, 5);
    expect(Array.from(res.rows)).toEqual(brute(g, 60, 16, q).slice(0, 5).map((w) => w.row));
  });
});
