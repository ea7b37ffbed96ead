import { latestSightings, sampleQuery, type OpenSetRows } from './calibrate';
import type { CandidateSample, QuerySample } from './model';

export interface HeldOutSamples {
  queries: QuerySample[];
  candidates: CandidateSample[];
}

/**
 * Open-set samples from one validation run of training: `emb` (unit rows) comes from a model
 * trained on `gallery` only, so its new queries (photos of individuals it never saw) and its
 * re-sighting queries (later sightings it never saw) are scored as the shipped model will score
 * tomorrow's photos. A trained model calibrated on its own training photos separates those photos
 * far better than new ones: over-confident (bench/README.md, open-set). Only each individual's
 * latest sighting is a re-sighting query, weighted by how many individuals it stands for
 * (`knownWeight`: a run re-sights one fold where the catalog's calibration re-sights every
 * individual not held out), so the rate of new matches calibrateOpenSet's.
 */
export function heldOutSamples(rows: OpenSetRows, emb: Float32Array, dim: number, gallery: number[], newQueries: number[], knownQueries: number[], knownWeight: number): HeldOutSamples {
  const inGallery = new Uint8Array(rows.size);
  for (const r of gallery) inGallery[r] = 1;
  const out: HeldOutSamples = { queries: [], candidates: [] };
  const row = new Float32Array(rows.size);
  const norm = new Float32Array(rows.size);
  for (let r = 0; r < rows.size; r++) {
    let ss = 0;
    for (let j = 0; j < dim; j++) ss += emb[r * dim + j] ** 2;
    norm[r] = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  }
  // Cosine scores of query q against the gallery rows (other rows are never read).
  const score = (q: number) => {
    for (const r of gallery) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += emb[q * dim + j] * emb[r * dim + j];
      row[r] = s * norm[q] * norm[r];
    }
    return row;
  };
  for (const q of newQueries) sampleQuery(score(q), rows, q, (r) => inGallery[r] === 1, 1, out.queries, out.candidates);
  for (const q of latestSightings(rows, knownQueries)) sampleQuery(score(q), rows, q, (r) => inGallery[r] === 1, knownWeight, out.queries, out.candidates);
  return out;
}
