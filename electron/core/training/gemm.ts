import { dot } from './vec';

/**
 * The two matrix products of a training step. `xwT`: z[n x rows] = x[n x k] . W[r0 .. r0+rows)^T
 * (W row-major, rows of k); `gTx`: out[rows x k] = g[n x rows]^T . x[n x k]. Two implementations:
 * plain TypeScript (sync, used at inference) and onnxruntime (bench/training.bench.ts measures both).
 */
export interface Gemm {
  readonly name: string;
  xwT(x: Float32Array, n: number, k: number, W: Float32Array, r0: number, rows: number): Promise<Float32Array> | Float32Array;
  gTx(g: Float32Array, n: number, rows: number, x: Float32Array, k: number): Promise<Float32Array> | Float32Array;
  dispose?(): Promise<void>;
}

export function xwTSync(x: Float32Array, n: number, k: number, W: Float32Array, r0: number, rows: number): Float32Array {
  const z = new Float32Array(n * rows);
  for (let i = 0; i < n; i++) for (let j = 0; j < rows; j++) z[i * rows + j] = dot(x, i * k, W, (r0 + j) * k, k);
  return z;
}

export function gTxSync(g: Float32Array, n: number, rows: number, x: Float32Array, k: number): Float32Array {
  const out = new Float32Array(rows * k);
  for (let j = 0; j < rows; j++) {
    const o = j * k;
    for (let i = 0; i < n; i++) {
      const gi = g[i * rows + j];
      if (gi === 0) continue;
      const xo = i * k;
      for (let q = 0; q < k; q++) out[o + q] += gi * x[xo + q];
    }
  }
  return out;
}

export const tsGemm: Gemm = { name: 'typescript', xwT: xwTSync, gTx: gTxSync };
