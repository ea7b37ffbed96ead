/**
 * Weighted logistic regression with a small ridge, fitted by Newton's method on standardised
 * features (so the ridge treats every feature alike and the Hessian stays well conditioned).
 * Small problems only: a handful of features, a few thousand samples.
 */
export interface LogisticFit {
  /** Per-feature mean and scale of the standardisation, then the weights (intercept last). */
  mean: number[];
  scale: number[];
  w: number[];
}

export function fitLogistic(x: number[][], y: number[], weight: number[], ridge = 1e-3): LogisticFit {
  const n = x.length;
  const d = n ? x[0].length : 0;
  const wsum = weight.reduce((s, v) => s + v, 0) || 1;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += (weight[i] * x[i][j]) / wsum;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scale[j] += (weight[i] * (x[i][j] - mean[j]) ** 2) / wsum;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]) || 1;
  const z = x.map((r) => [...r.map((v, j) => (v - mean[j]) / scale[j]), 1]);
  const p = d + 1;
  const w = new Array<number>(p).fill(0);
  const yBar = y.reduce((s, v, i) => s + v * weight[i], 0) / wsum;
  w[d] = logit(Math.min(1 - 1e-6, Math.max(1e-6, yBar)));
  // The ridge is relative to the total weight, so it means the same whatever the weights sum to.
  const lambda = ridge * wsum;
  for (let it = 0; it < 50; it++) {
    const g = new Array<number>(p).fill(0);
    const h = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      const zi = z[i];
      let a = 0;
      for (let j = 0; j < p; j++) a += w[j] * zi[j];
      const pi = sigmoid(a);
      const r = weight[i] * (y[i] - pi);
      const hw = weight[i] * pi * (1 - pi);
      for (let j = 0; j < p; j++) {
        g[j] += r * zi[j];
        for (let k = 0; k <= j; k++) h[j][k] += hw * zi[j] * zi[k];
      }
    }
    for (let j = 0; j < d; j++) {
      g[j] -= lambda * w[j];
      h[j][j] += lambda;
    }
    h[d][d] += 1e-9 * wsum;
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) h[j][k] = h[k][j];
    const step = solve(h, g);
    if (!step) break;
    let moved = 0;
    for (let j = 0; j < p; j++) {
      w[j] += step[j];
      moved += Math.abs(step[j]);
    }
    if (moved < 1e-9) break;
  }
  return { mean, scale, w };
}

export function predictLogistic(f: LogisticFit, x: number[]): number {
  const d = f.mean.length;
  let a = f.w[d];
  for (let j = 0; j < d; j++) a += f.w[j] * ((x[j] - f.mean[j]) / f.scale[j]);
  return sigmoid(a);
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    if (!(Math.abs(m[piv][c]) > 1e-15)) return null;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * out[k];
    out[r] = s / m[r][r];
  }
  return out.every(Number.isFinite) ? out : null;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
export const logit = (p: number): number => Math.log(p / (1 - p));
