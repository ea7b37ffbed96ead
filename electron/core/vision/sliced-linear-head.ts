import type { ModelRow } from '../store/models';
import { xwTSync } from '../training/gemm';
import { dot, l2NormalizeRows } from '../training/vec';
import { selectRanges, type HeadFn } from './head-fn';

export const HEAD_KIND = 'sliced-linear';

/** What a fine-tuned model's params.head holds. */
export interface SlicedLinearHead {
  kind: typeof HEAD_KIND;
  dimIn: number;
  dim: number;
  slices: number;
  /** Average with the mirror view (features view 1) where the catalog stores one. */
  flipAverage: boolean;
  /**
   * [offset, length] ranges of the stored feature the head reads (a head started from the pretrained
   * model reads the blocks that model matches on); absent: the whole stored feature.
   */
  inputRanges?: Array<[number, number]>;
}

/**
 * Weight format (models.weights): float32 little-endian, W (dim rows of dimIn, row-major) then b (dim);
 * embedding = concat over slices of normalise(W l2norm(x) + b)[slice] / sqrt(slices).
 */
export function encodeWeights(W: Float32Array, b: Float32Array): Buffer {
  return Buffer.concat([Buffer.from(W.buffer, W.byteOffset, W.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)]);
}

export function decodeWeights(buf: Buffer, head: SlicedLinearHead): { W: Float32Array; b: Float32Array } {
  const expected = (head.dim * head.dimIn + head.dim) * 4;
  if (buf.byteLength !== expected) throw new Error(`head weights are ${buf.byteLength} bytes, expected ${expected}`);
  const all = new Float32Array(buf.byteLength / 4);
  new Uint8Array(all.buffer).set(buf);
  return { W: all.subarray(0, head.dim * head.dimIn), b: all.subarray(head.dim * head.dimIn) };
}

export function slicedLinear(head: SlicedLinearHead, W: Float32Array, b: Float32Array): HeadFn {
  const ds = head.dim / head.slices;
  const gain = 1 / Math.sqrt(head.slices);
  return (features, n, storedDim) => {
    if (!head.inputRanges && storedDim !== head.dimIn) throw new Error(`head expects ${head.dimIn}-d features, got ${storedDim}`);
    // A fresh copy either way: the gather makes one, and the caller's features stay as they were.
    const picked = head.inputRanges ? selectRanges(features, n, storedDim, head.inputRanges) : features.slice(0, n * storedDim);
    const dimIn = head.dimIn;
    const x = l2NormalizeRows(picked, n, dimIn);
    const z = xwTSync(x, n, dimIn, W, 0, head.dim);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < head.slices; c++) {
        const o = i * head.dim + c * ds;
        for (let j = 0; j < ds; j++) z[o + j] += b[c * ds + j];
        const nz = Math.sqrt(Math.max(dot(z, o, z, o, ds), 1e-12));
        for (let j = 0; j < ds; j++) z[o + j] = (z[o + j] / nz) * gain;
      }
    }
    return { vectors: z, dim: head.dim };
  };
}

export function headParams(model: ModelRow): SlicedLinearHead {
  return JSON.parse(model.params ?? '{}').head as SlicedLinearHead;
}

/** The head of a fine-tuned model row (registered as HEAD_KIND in heads.ts). */
export function slicedLinearHead(model: ModelRow): HeadFn {
  const head = headParams(model);
  if (!model.weights) throw new Error(`model ${model.id} has no weights`);
  const { W, b } = decodeWeights(model.weights, head);
  return slicedLinear(head, W, b);
}
