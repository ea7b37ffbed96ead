// PCA whitening learnt without labels from a gallery's own embeddings: centre on the gallery's mean,
// rotate onto its principal directions, keep the first m, divide each by the square root of its
// (shrunk) variance, L2-normalise. Shrinkage pulls every variance toward their mean, so the weak
// directions of a small gallery are not blown up: lambda' = (1 - s) lambda + s mean(lambda).

/** Mean, principal directions (rows of `basis`, by decreasing variance) and variances of a gallery. */
export interface WhiteningFit {
  dim: number;
  mean: Float64Array;
  /** rank x dim, row k the k-th principal direction. */
  basis: Float64Array;
  variance: Float64Array;
  rank: number;
}

/**
 * Principal directions of the rows `fitRows` of `vectors` (n x dim). The eigenproblem is solved on the
 * smaller of the covariance (dim x dim) and the Gram matrix of the centred rows (rows x rows), so a
 * gallery smaller than the dimension costs its own size cubed.
 */
export function fitWhitening(vectors: Float32Array, dim: number, fitRows: number[]): WhiteningFit {
  const r = fitRows.length;
  const mean = new Float64Array(dim);
  for (const i of fitRows) for (let j = 0; j < dim; j++) mean[j] += vectors[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= r;
  const X = new Float64Array(r * dim);
  fitRows.forEach((i, a) => {
    for (let j = 0; j < dim; j++) X[a * dim + j] = vectors[i * dim + j] - mean[j];
  });
  const dual = r < dim;
  const m = dual ? r : dim;
  const A = new Float64Array(m * m);
  if (dual) {
    for (let a = 0; a < r; a++) for (let b = a; b < r; b++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += X[a * dim + j] * X[b * dim + j];
      A[a * m + b] = A[b * m + a] = s / r;
    }
  } else {
    const x = new Float64Array(dim);
    for (let a = 0; a < r; a++) {
      for (let j = 0; j < dim; j++) x[j] = X[a * dim + j];
      for (let p = 0; p < dim; p++) {
        const xp = x[p] / r;
        if (xp === 0) continue;
        const row = p * dim;
        for (let q = p; q < dim; q++) A[row + q] += xp * x[q];
      }
    }
    for (let p = 0; p < dim; p++) for (let q = 0; q < p; q++) A[p * dim + q] = A[q * dim + p];
  }
  const { values, vectors: V } = symmetricEigen(A, m);
  // Decreasing order; keep directions with variance above round-off.
  const order = [...values.keys()].sort((a, b) => values[b] - values[a]);
  const top = values[order[0]] || 1;
  const kept = order.filter((k) => values[k] > top * 1e-9);
  const basis = new Float64Array(kept.length * dim);
  const variance = new Float64Array(kept.length);
  kept.forEach((k, o) => {
    variance[o] = values[k];
    if (dual) {
      // u = X^T v / sqrt(r lambda): the covariance's eigenvector for the Gram matrix's eigenvector v.
      const scale = 1 / Math.sqrt(r * values[k]);
      for (let a = 0; a < r; a++) {
        const va = V[k * m + a] * scale;
        if (va === 0) continue;
        for (let j = 0; j < dim; j++) basis[o * dim + j] += va * X[a * dim + j];
      }
    } else basis.set(V.subarray(k * m, (k + 1) * m), o * dim);
  });
  return { dim, mean, basis, variance, rank: kept.length };
}

/** Coordinates of rows of `vectors` (n x fit.dim) on the first `components` principal directions, centred, unscaled. */
export function projectOnFit(fit: WhiteningFit, vectors: Float32Array, n: number, components: number): { coords: Float32Array; dim: number } {
  const m = Math.min(components, fit.rank);
  const dim = fit.dim;
  const out = new Float32Array(n * m);
  const x = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) x[j] = vectors[i * dim + j] - fit.mean[j];
    for (let k = 0; k < m; k++) {
      let s = 0;
      const row = k * dim;
      for (let j = 0; j < dim; j++) s += fit.basis[row + j] * x[j];
      out[i * m + k] = s;
    }
  }
  return { coords: out, dim: m };
}

/** Whitened, L2-normalised rows from projected coordinates: the first `components`, shrinkage `shrink` in [0, 1]. */
export function whitenProjected(fit: WhiteningFit, p: { coords: Float32Array; dim: number }, n: number, components: number, shrink: number): { vectors: Float32Array; dim: number } {
  const m = Math.min(components, p.dim);
  let avg = 0;
  for (let k = 0; k < fit.rank; k++) avg += fit.variance[k] / fit.rank;
  const scale = Float64Array.from({ length: m }, (_, k) => 1 / Math.sqrt((1 - shrink) * fit.variance[k] + shrink * avg));
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    let ss = 0;
    for (let k = 0; k < m; k++) {
      const v = p.coords[i * p.dim + k] * scale[k];
      out[i * m + k] = v;
      ss += v * v;
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let k = 0; k < m; k++) out[i * m + k] *= inv;
  }
  return { vectors: out, dim: m };
}

/** Whitened, L2-normalised rows of `vectors` (n x fit.dim): the first `components` directions, shrinkage `shrink`. */
export function applyWhitening(fit: WhiteningFit, vectors: Float32Array, n: number, components: number, shrink: number): { vectors: Float32Array; dim: number } {
  return whitenProjected(fit, projectOnFit(fit, vectors, n, components), n, components, shrink);
}

/**
 * Eigenvalues and eigenvectors (row k of `vectors`, n x n, for value k) of a symmetric matrix:
 * Householder reduction to tridiagonal form, then the implicit QL algorithm (tred2 / tql2, after
 * EISPACK as ported in JAMA). `a` is overwritten.
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const V = a;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  // tred2
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
  // tql2, rotating rows of the transposed accumulator (contiguous memory): row k becomes eigenvector k.
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[j * n + i] = V[i * n + j];
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const r0 = i * n;
          const r1 = r0 + n;
          for (let k = 0; k < n; k++) {
            h = W[r1 + k];
            W[r1 + k] = s * W[r0 + k] + c * h;
            W[r0 + k] = c * W[r0 + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  return { values: d, vectors: W };
}
