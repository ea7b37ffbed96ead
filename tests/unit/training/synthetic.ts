import type { FeatureSet } from '../../../electron/core/training/dataset';
import { Rng } from '../../../electron/core/training/random';

/**
 * Features with a known structure: each individual has a pattern in a small subspace buried under
 * strong nuisance directions (pose, light) shared by everyone, so the identity cosine of raw features
 * is poor and a learned projection can do much better. Two views per sample, the second a noisy copy.
 */
export function syntheticSet(seed: number, individuals = 40, perIndividual = 8, dimIn = 48): FeatureSet {
  const rng = new Rng(seed);
  const n = individuals * perIndividual;
  const idDims = 8;
  const nuisance = Array.from({ length: 6 }, () => {
    const d = Float32Array.from({ length: dimIn }, () => rng.normal());
    const norm = Math.hypot(...d);
    return d.map((v) => v / norm);
  });
  const ids = Array.from({ length: individuals }, () => Float32Array.from({ length: idDims }, () => rng.normal()));
  const features = new Float32Array(n * 2 * dimIn);
  const s: FeatureSet = {
    dimIn,
    features,
    viewStart: new Int32Array(n),
    viewCount: new Int32Array(n).fill(2),
    ids: new Int32Array(n),
    label: new Int32Array(n),
    side: new Int32Array(n).fill(-1),
    group: new Int32Array(n),
    order: new Float64Array(n),
    mirror: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const l = Math.floor(i / perIndividual);
    const k = i % perIndividual;
    s.viewStart[i] = 2 * i;
    s.ids[i] = i + 1;
    s.label[i] = l;
    s.group[i] = l * 1000 + Math.floor(k / 2); // two photos per sighting
    s.order[i] = k;
    const base = new Float32Array(dimIn);
    for (let j = 0; j < idDims; j++) base[j] = ids[l][j] * 0.5;
    for (const d of nuisance) {
      const a = rng.normal() * 2;
      for (let j = 0; j < dimIn; j++) base[j] += a * d[j];
    }
    for (let v = 0; v < 2; v++) {
      for (let j = 0; j < dimIn; j++) features[(2 * i + v) * dimIn + j] = base[j] + rng.normal() * 0.1 + 1;
    }
  }
  return s;
}
