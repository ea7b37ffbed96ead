import { LinearHead } from '../../../electron/core/training/head';
import { marginLoss, sampleTriplets } from '../../../electron/core/training/margin-loss';
import { Rng } from '../../../electron/core/training/random';

// Finite differences in float64 would need a float64 head; float32 with central differences and
// a relative tolerance is enough to catch a wrong sign or a missing term.
const tol = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-3, Math.abs(a) + Math.abs(b));

function randomUnitRows(rng: Rng, n: number, dim: number): Float32Array {
  const e = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (e[i * dim + j] = rng.normal()) ** 2;
    for (let j = 0; j < dim; j++) e[i * dim + j] /= Math.sqrt(s);
  }
  return e;
}

describe('margin loss', () => {
  const rng = new Rng(3);
  const n = 12;
  const dim = 6;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
  const e = randomUnitRows(rng, n, dim);
  const triplets = sampleTriplets(e, labels, n, dim, new Rng(1));

  it('samples one negative of another individual per (anchor, positive) pair', () => {
    expect(triplets.length).toBe(n * 2); // 3 samples per individual -> 2 positives per anchor
    for (const t of triplets) {
      expect(labels[t.p]).toBe(labels[t.a]);
      expect(t.p).not.toBe(t.a);
      expect(labels[t.n]).not.toBe(labels[t.a]);
    }
  });

  it('has the gradient finite differences give, for embeddings and beta', () => {
    const beta = 1.0;
    const res = marginLoss(e, n, dim, triplets, beta);
    expect(res.active).toBeGreaterThan(0);
    const h = 1e-3;
    let checked = 0;
    for (let i = 0; i < e.length; i += 5) {
      const ep = e.slice();
      ep[i] += h;
      const em = e.slice();
      em[i] -= h;
      const lp = marginLoss(ep, n, dim, triplets, beta);
      const lm = marginLoss(em, n, dim, triplets, beta);
      if (lp.active !== res.active || lm.active !== res.active) continue; // a hinge switched: not differentiable here
      expect(tol((lp.loss - lm.loss) / (2 * h), res.grad[i])).toBeLessThan(2e-2);
      checked++;
    }
    expect(checked).toBeGreaterThan(8);
    const bp = marginLoss(e, n, dim, triplets, beta + h).loss;
    const bm = marginLoss(e, n, dim, triplets, beta - h).loss;
    expect(tol((bp - bm) / (2 * h), res.gradBeta)).toBeLessThan(1e-2);
  });
});

describe('sliced linear head', () => {
  it('backpropagates through the linear map and the per-slice normalisation (finite differences)', () => {
    const rng = new Rng(7);
    const dimIn = 5;
    const head = LinearHead.init(dimIn, 8, 2, rng);
    const n = 3;
    const x = Float32Array.from({ length: n * dimIn }, () => rng.normal());
    const target = Float32Array.from({ length: n * 8 }, () => rng.normal());
    // L = <target, e>, so dL/de = target.
    const lossOf = (r0: number, rows: number) => {
      const p = head.forward(x, n, r0, rows);
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < rows; j++) s += p.e[i * rows + j] * target[i * 8 + j];
      return s;
    };
    for (const [r0, rows] of [
      [0, 8],
      [4, 4],
    ]) {
      const p = head.forward(x, n, r0, rows);
      const gE = new Float32Array(n * rows);
      for (let i = 0; i < n; i++) for (let j = 0; j < rows; j++) gE[i * rows + j] = target[i * 8 + j];
      const gW = new Float32Array(head.W.length);
      const gb = new Float32Array(head.b.length);
      head.backward(p, gE, gW, gb);
      const h = 1e-2;
      for (let w = 0; w < head.W.length; w++) {
        const old = head.W[w];
        head.W[w] = old + h;
        const lp = lossOf(r0, rows);
        head.W[w] = old - h;
        const lm = lossOf(r0, rows);
        head.W[w] = old;
        const fd = (lp - lm) / (2 * h);
        const row = Math.floor(w / dimIn);
        if (row < r0 || row >= r0 + rows) expect(gW[w]).toBe(0); // only this slice gets gradient
        else expect(Math.abs(fd - gW[w])).toBeLessThan(2e-3 + 2e-2 * Math.abs(fd));
      }
      for (let j = r0; j < r0 + rows; j++) {
        const old = head.b[j];
        head.b[j] = old + h;
        const lp = lossOf(r0, rows);
        head.b[j] = old - h;
        const lm = lossOf(r0, rows);
        head.b[j] = old;
        expect(Math.abs((lp - lm) / (2 * h) - gb[j])).toBeLessThan(2e-3);
      }
    }
  });

  it('gives unit-length embeddings whose slices are each unit length before the 1/sqrt(K) gain', () => {
    const rng = new Rng(2);
    const head = LinearHead.init(10, 12, 3, rng);
    const raw = Float32Array.from({ length: 4 * 10 }, () => Math.abs(rng.normal()));
    head.fitInput(raw, 4);
    const e = head.embed(raw, 4);
    for (let i = 0; i < 4; i++) {
      let all = 0;
      for (let k = 0; k < 3; k++) {
        let s = 0;
        for (let j = 0; j < 4; j++) s += e[i * 12 + k * 4 + j] ** 2;
        expect(s).toBeCloseTo(1 / 3, 5);
        all += s;
      }
      expect(all).toBeCloseTo(1, 5);
    }
  });

  it('folds the input centring into W and b without changing the embedding', () => {
    const rng = new Rng(5);
    const head = LinearHead.init(6, 4, 2, rng);
    const raw = Float32Array.from({ length: 5 * 6 }, () => rng.next());
    head.fitInput(raw, 5);
    const { W, b } = head.folded();
    const e = head.embed(raw, 5);
    for (let i = 0; i < 5; i++) {
      let nx = 0;
      for (let k = 0; k < 6; k++) nx += raw[i * 6 + k] ** 2;
      const z = Array.from({ length: 4 }, (_, j) => b[j] + W.slice(j * 6, j * 6 + 6).reduce((s, w, k) => s + (w * raw[i * 6 + k]) / Math.sqrt(nx), 0));
      for (const c of [0, 1]) {
        const nz = Math.hypot(z[2 * c], z[2 * c + 1]);
        for (const j of [2 * c, 2 * c + 1]) expect(e[i * 4 + j]).toBeCloseTo(z[j] / nz / Math.SQRT2, 4);
      }
    }
  });
});
