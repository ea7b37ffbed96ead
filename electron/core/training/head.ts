import { Rng } from './random';
import { gTxSync, xwTSync, type Gemm } from './gemm';
import { dot, l2NormalizeRows } from './vec';

/**
 * The trainable head: a linear map from the backbone feature (L2-normalised, centred and scaled)
 * to `dim` outputs, split into `slices` equal learners, each L2-normalised on its own. The full
 * embedding is the concatenation scaled by 1/sqrt(slices), so it has unit length and its cosine is
 * the mean of the slices' cosines. Slices 0..K-1 are rows [k*ds, (k+1)*ds) of W.
 */
export class LinearHead {
  readonly sliceDim: number;

  constructor(
    readonly dimIn: number,
    readonly dim: number,
    readonly slices: number,
    readonly W: Float32Array,
    readonly b: Float32Array,
    /** Input centring and scale, fitted on training features; folded into W, b when saved. */
    readonly mu: Float32Array,
    /** Per-input-dimension scale (standardisation). */
    readonly scale: Float32Array,
  ) {
    if (dim % slices !== 0) throw new Error(`embedding size ${dim} is not divisible by ${slices} learners`);
    this.sliceDim = dim / slices;
  }

  static init(dimIn: number, dim: number, slices: number, rng: Rng): LinearHead {
    const W = new Float32Array(dim * dimIn);
    const std = 1 / Math.sqrt(dimIn);
    for (let i = 0; i < W.length; i++) W[i] = rng.normal() * std;
    return new LinearHead(dimIn, dim, slices, W, new Float32Array(dim), new Float32Array(dimIn), new Float32Array(dimIn).fill(1));
  }

  /**
   * Fits the input standardisation on raw features (n rows): zero mean, and either unit variance per
   * dimension or (perDim false) one scale giving unit mean square norm.
   */
  fitInput(raw: Float32Array, n: number, perDim = true): void {
    const d = this.dimIn;
    const x = l2NormalizeRows(raw.slice(0, n * d), n, d);
    this.mu.fill(0);
    for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) this.mu[j] += x[r * d + j] / n;
    const v = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) v[j] += (x[r * d + j] - this.mu[j]) ** 2 / n;
    const total = v.reduce((a, b) => a + b, 0);
    // Per dimension: 1/sqrt(d * var) keeps the standardised input's norm near 1 (Adam's step size assumes a scale).
    for (let j = 0; j < d; j++) this.scale[j] = perDim ? (v[j] > 1e-12 ? 1 / Math.sqrt(d * v[j]) : 0) : total > 0 ? 1 / Math.sqrt(total) : 1;
  }

  /**
   * W = the identity undoing the input scale, b = 0: the embedding starts as the centred input
   * itself (per slice normalised), i.e. where the pretrained model ranks. Needs dim = dimIn.
   */
  startAtInput(): void {
    if (this.dim !== this.dimIn) throw new Error(`a head started at its input needs dim = dimIn (${this.dimIn}), got ${this.dim}`);
    this.W.fill(0);
    this.b.fill(0);
    for (let i = 0; i < this.dim; i++) this.W[i * this.dimIn + i] = this.scale[i] > 0 ? 1 / this.scale[i] : 0;
  }

  /** Raw backbone features -> the head's input space. */
  normalizeInput(raw: Float32Array, n: number): Float32Array {
    const x = l2NormalizeRows(raw.slice(0, n * this.dimIn), n, this.dimIn);
    for (let r = 0; r < n; r++) {
      const o = r * this.dimIn;
      for (let j = 0; j < this.dimIn; j++) x[o + j] = (x[o + j] - this.mu[j]) * this.scale[j];
    }
    return x;
  }

  /**
   * Outputs rows [r0, r0+rows) of the head for n prepared inputs, each `sliceDim` chunk normalised,
   * the whole scaled by 1/sqrt(chunks). Returns what backward needs.
   */
  forward(x: Float32Array, n: number, r0: number, rows: number): HeadPass {
    return this.finish(x, n, r0, rows, xwTSync(x, n, this.dimIn, this.W, r0, rows));
  }

  /** The rest of forward once z = x . W[r0..r0+rows)^T is known (computed by any Gemm). */
  finish(x: Float32Array, n: number, r0: number, rows: number, z: Float32Array): HeadPass {
    const { b, sliceDim } = this;
    const chunks = rows / sliceDim;
    const gain = 1 / Math.sqrt(chunks);
    for (let i = 0; i < n; i++) for (let j = 0; j < rows; j++) z[i * rows + j] += b[r0 + j];
    const e = new Float32Array(n * rows);
    const norms = new Float32Array(n * chunks);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < chunks; c++) {
        const o = i * rows + c * sliceDim;
        const nz = Math.sqrt(Math.max(dot(z, o, z, o, sliceDim), 1e-12));
        norms[i * chunks + c] = nz;
        for (let j = 0; j < sliceDim; j++) e[o + j] = (z[o + j] / nz) * gain;
      }
    }
    return { x, n, r0, rows, e, norms, gain };
  }

  /** dL/dz from dL/de, through the per-slice normalisation and gain. */
  gradZ(pass: HeadPass, gE: Float32Array): Float32Array {
    const { sliceDim } = this;
    const { n, rows, e, norms, gain } = pass;
    const chunks = rows / sliceDim;
    const gZ = new Float32Array(n * rows);
    const inv = 1 / gain;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < chunks; c++) {
        const o = i * rows + c * sliceDim;
        // e = gain * u, u = z/|z|  =>  dz = gain/|z| * (g - u (u.g))
        let ug = 0;
        for (let j = 0; j < sliceDim; j++) ug += e[o + j] * inv * gE[o + j];
        const f = gain / norms[i * chunks + c];
        for (let j = 0; j < sliceDim; j++) gZ[o + j] = f * (gE[o + j] - e[o + j] * inv * ug);
      }
    }
    return gZ;
  }

  /** Accumulates dL/dW and dL/db for rows [r0, r0+rows) into gW, gb (full-size) from dL/de. */
  backward(pass: HeadPass, gE: Float32Array, gW: Float32Array, gb: Float32Array): void {
    const gZ = this.gradZ(pass, gE);
    const g = gTxSync(gZ, pass.n, pass.rows, pass.x, this.dimIn);
    const o = pass.r0 * this.dimIn;
    for (let i = 0; i < g.length; i++) gW[o + i] += g[i];
    addColumnSums(gZ, pass.n, pass.rows, gb, pass.r0);
  }

  /** The test-time embedding (all slices) of raw features: n rows of `dim`, unit length. */
  embed(raw: Float32Array, n: number): Float32Array {
    return this.forward(this.normalizeInput(raw, n), n, 0, this.dim).e;
  }

  /** embed() with the product through any Gemm (onnxruntime for the large reclustering and evaluation passes). */
  async embedWith(raw: Float32Array, n: number, gemm: Gemm): Promise<Float32Array> {
    const x = this.normalizeInput(raw, n);
    return this.finish(x, n, 0, this.dim, await gemm.xwT(x, n, this.dimIn, this.W, 0, this.dim)).e;
  }

  /** W and b with the input centring folded in: out = W' l2norm(x) + b'. The stored weight format. */
  folded(): { W: Float32Array; b: Float32Array } {
    const { dim, dimIn, mu, scale } = this;
    const W = new Float32Array(dim * dimIn);
    const b = new Float32Array(dim);
    for (let j = 0; j < dim; j++) {
      let s = 0;
      for (let k = 0; k < dimIn; k++) {
        W[j * dimIn + k] = this.W[j * dimIn + k] * scale[k];
        s += W[j * dimIn + k] * mu[k];
      }
      b[j] = this.b[j] - s;
    }
    return { W, b };
  }
}

export interface HeadPass {
  x: Float32Array;
  n: number;
  r0: number;
  rows: number;
  e: Float32Array;
  norms: Float32Array;
  gain: number;
}

/** out[o + j] += sum_i g[i*rows + j]: the bias gradient. */
export function addColumnSums(g: Float32Array, n: number, rows: number, out: Float32Array, o: number): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < rows; j++) out[o + j] += g[i * rows + j];
}
