import type { StoredWhitening, WhiteningStamp } from '../store/whitening';
import { whitenInto } from './catalog-whitening';
import type { ExactTopK } from './exact-topk';
import type { Gallery } from './gallery';

/** Rows whitened per onnxruntime call (bounds the temporary matrices: 8,192 x 1,280 floats is 40 MB). */
const CHUNK = 8192;
/** Fewer changed rows than this are whitened in JS (a row costs ~0.3 ms there; a call has its own overhead). */
const LOOP_BELOW = 32;

/**
 * The gallery's rows whitened (catalog-whitening.ts), kept row for row beside it: the gallery keeps
 * the model's vectors (queries taken from it stay model vectors), search reads this matrix. A whole
 * catalog goes through onnxruntime (X Pᵀ on the search session's Gemm: 100k x 1,280 -> 256 in about a
 * second, where a JS loop takes minutes); the few rows a refresh changes are done in JS.
 */
export class WhitenedView {
  vectors = new Float32Array(0);
  private capacity = 0;
  private synced = false;
  /** P · mean, subtracted from X Pᵀ instead of centring every row. */
  private readonly offset: Float32Array;

  constructor(readonly whitening: StoredWhitening) {
    const { inDim, outDim, mean, projection } = whitening;
    this.offset = new Float32Array(outDim);
    for (let k = 0; k < outDim; k++) {
      let s = 0;
      for (let j = 0; j < inDim; j++) s += projection[k * inDim + j] * mean[j];
      this.offset[k] = s;
    }
  }

  get stamp(): WhiteningStamp {
    return { rows: this.whitening.rows, fittedAt: this.whitening.fittedAt };
  }

  get dim(): number {
    return this.whitening.outDim;
  }

  /** A model vector as the rows are: whitened and L2-normalised. */
  query(v: Float32Array): Float32Array {
    const out = new Float32Array(this.dim);
    whitenInto(this.whitening, v, 0, out, 0);
    return out;
  }

  /** Brings the matrix up to the gallery's rows (what changed since the last sync, or all of them). */
  async sync(g: Gallery, search: ExactTopK): Promise<void> {
    const changes = g.takeChanges();
    const all = changes.all || !this.synced;
    const rows = changes.rows;
    this.synced = true;
    if (g.size > this.capacity) {
      const grown = new Float32Array(Math.max(g.size, this.capacity * 2, 16) * this.dim);
      grown.set(this.vectors);
      this.vectors = grown;
      this.capacity = grown.length / this.dim;
    }
    const todo = all ? Array.from({ length: g.size }, (_, r) => r) : rows;
    if (todo.length < LOOP_BELOW) {
      for (const r of todo) whitenInto(this.whitening, g.vectors, r * g.dim, this.vectors, r * this.dim);
      return;
    }
    const { inDim, outDim, projection } = this.whitening;
    for (let start = 0; start < todo.length; start += CHUNK) {
      const part = todo.slice(start, start + CHUNK);
      const contiguous = part[part.length - 1] - part[0] === part.length - 1;
      const x = contiguous ? g.vectors.subarray(part[0] * inDim, (part[0] + part.length) * inDim) : gather(g.vectors, inDim, part);
      // scores(gallery = P, queries = X) = X Pᵀ: [rows x outDim].
      const y = await search.scores(projection, outDim, inDim, x, part.length);
      part.forEach((r, i) => {
        let ss = 0;
        for (let k = 0; k < outDim; k++) {
          const v = y[i * outDim + k] - this.offset[k];
          this.vectors[r * outDim + k] = v;
          ss += v * v;
        }
        const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
        for (let k = 0; k < outDim; k++) this.vectors[r * outDim + k] *= inv;
      });
    }
  }
}

function gather(m: Float32Array, dim: number, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(m.subarray(r * dim, (r + 1) * dim), i * dim));
  return out;
}
