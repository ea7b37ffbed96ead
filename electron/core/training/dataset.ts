/**
 * Backbone features of labelled annotations, as training sees them: one or more views per sample
 * (view 0 = plain crop first), the individual, side and sighting of each. Plain arrays only, so the
 * set crosses to a worker thread by structured clone.
 */
export interface FeatureSet {
  dimIn: number;
  /** Rows of dimIn floats; sample i's views are rows viewStart[i] .. viewStart[i]+viewCount[i]-1. */
  features: Float32Array;
  viewStart: Int32Array;
  viewCount: Int32Array;
  /** Annotation id per sample. */
  ids: Int32Array;
  /** Individual per sample. */
  label: Int32Array;
  /** Side code per sample (-1 = none): only like sides are compared. */
  side: Int32Array;
  /** Sighting (encounter) per sample; samples of one sighting never match each other. Unique when unknown. */
  group: Int32Array;
  /** Chronological rank of the sample's sighting (smaller = earlier). */
  order: Float64Array;
  /**
   * Per sample, 1 when view 1 is a usable mirror image (its body part reads the same mirrored:
   * setting flipAverage): averaged with view 0 at test time and used in training. A handed pattern
   * (a fluke) mirrored is another animal, so view 1 is then never used.
   */
  mirror: Uint8Array;
}

export const sampleCount = (s: FeatureSet): number => s.ids.length;

/** Rows of view `v` (clamped to what each sample has) for the given samples. */
export function viewRows(s: FeatureSet, samples: ArrayLike<number>, view = 0): Float32Array {
  const out = new Float32Array(samples.length * s.dimIn);
  for (let i = 0; i < samples.length; i++) {
    const k = samples[i];
    const row = s.viewStart[k] + Math.min(view, s.viewCount[k] - 1);
    out.set(s.features.subarray(row * s.dimIn, (row + 1) * s.dimIn), i * s.dimIn);
  }
  return out;
}
