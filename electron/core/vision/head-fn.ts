/** features: n rows of dimIn floats (row-major). Returns n rows of `dim` floats, L2-normalised. */
export type HeadFn = (features: Float32Array, n: number, dimIn: number) => { vectors: Float32Array; dim: number };

/** The columns of n feature rows that `ranges` name, concatenated in order. */
export function selectRanges(features: Float32Array, n: number, dimIn: number, ranges: Array<[number, number]>): Float32Array {
  const width = ranges.reduce((s, [, len]) => s + len, 0);
  for (const [off, len] of ranges) if (off < 0 || len <= 0 || off + len > dimIn) throw new Error(`feature range [${off}, ${off + len}) is outside ${dimIn}-d features`);
  const out = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    let o = i * width;
    for (const [off, len] of ranges) {
      out.set(features.subarray(i * dimIn + off, i * dimIn + off + len), o);
      o += len;
    }
  }
  return out;
}
