/** Dense kernels on row-major Float32Arrays: the inner loops of training and evaluation. */

/** Dot product of a[ao..ao+n) and b[bo..bo+n), four accumulators to keep the FPU busy. */
export function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[ao + i] * b[bo + i];
    s1 += a[ao + i + 1] * b[bo + i + 1];
    s2 += a[ao + i + 2] * b[bo + i + 2];
    s3 += a[ao + i + 3] * b[bo + i + 3];
  }
  for (; i < n; i++) s0 += a[ao + i] * b[bo + i];
  return s0 + s1 + s2 + s3;
}

/** y[yo..yo+n) += alpha * x[xo..xo+n). */
export function axpy(alpha: number, x: Float32Array, xo: number, y: Float32Array, yo: number, n: number): void {
  for (let i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
}

/** Each of n rows of width `dim` scaled to unit length in place (zero rows stay zero). */
export function l2NormalizeRows(x: Float32Array, n: number, dim: number): Float32Array {
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    const s = dot(x, o, x, o, dim);
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) x[o + j] *= inv;
  }
  return x;
}

/** Gram matrix of n rows: out[i*n+j] = <x_i, x_j>. */
export function gram(x: Float32Array, n: number, dim: number): Float32Array {
  const g = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = dot(x, i * dim, x, j * dim, dim);
      g[i * n + j] = v;
      g[j * n + i] = v;
    }
  }
  return g;
}

/** Similarities of every query row against every gallery row: out[q*ng+g]. */
export function crossDots(q: Float32Array, nq: number, g: Float32Array, ng: number, dim: number): Float32Array {
  const out = new Float32Array(nq * ng);
  for (let i = 0; i < nq; i++) for (let j = 0; j < ng; j++) out[i * ng + j] = dot(q, i * dim, g, j * dim, dim);
  return out;
}
