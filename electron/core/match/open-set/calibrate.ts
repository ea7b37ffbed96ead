import { candidateFeatures, FEATURE_TOP, queryFeatures, rankFromRow } from './features';
import { hash, OpenSetModel, type CandidateSample, type QuerySample } from './model';

/** The rows calibration reads: who each is (-1 = not identified), its encounter (-1 = none), its comparable group (side and body part). */
export interface OpenSetRows {
  size: number;
  individual: ArrayLike<number>;
  encounter: ArrayLike<number>;
  group: ArrayLike<number>;
  /** When each row was taken (any increasing number; NaN = unknown): picks each individual's latest sighting. */
  order?: ArrayLike<number>;
}

/** Full score rows of the given query rows against all `size` rows, row-major. */
export type ScoreRows = (queries: number[]) => Promise<Float32Array>;

export interface CalibrateOptions {
  /** Query rows sampled (spread evenly over the held-out queries). */
  samples?: number;
  /** Below this many confirmed individuals the prior is used and the reviewer told so. */
  minIndividuals?: number;
  batch?: number;
}

export const MIN_INDIVIDUALS = 8;
/** Folds over individuals: a fifth of the animals held out as new, as a survey of a mostly catalogued population meets them. */
export const CALIBRATION_FOLDS = 5;
const SAMPLES = 600;

/**
 * One held-out query of calibration: the row, the gallery it is searched in (every identified row
 * not held out), and whether its individual is absent from that gallery.
 */
export interface HeldOutQuery {
  row: number;
  fold: number;
}

/**
 * The held-out construction shared by calibration and its benchmark: individuals are dealt into
 * folds; in fold f, every photo of f's individuals is a "new" query, and the latest sighting of each
 * other individual and group with two or more sightings is a "re-sighting" query; the gallery is
 * every other identified row. So the rate of new among the queries is the one a survey meets when a
 * fold's share of its animals is uncatalogued, and both kinds are scored against the same gallery.
 */
export function heldOutQueries(rows: OpenSetRows, folds = CALIBRATION_FOLDS): { queries: HeldOutQuery[]; inGallery: (fold: number, r: number) => boolean; foldOf: (r: number) => number } {
  const identified: number[] = [];
  for (let r = 0; r < rows.size; r++) if (rows.individual[r] >= 0) identified.push(r);
  const resight = new Uint8Array(rows.size);
  for (const r of latestSightings(rows, identified, 2)) resight[r] = 1;
  const foldOf = (r: number) => hash(rows.individual[r]) % folds;
  const queries: HeldOutQuery[] = [];
  for (let f = 0; f < folds; f++) {
    for (let r = 0; r < rows.size; r++) {
      if (rows.individual[r] < 0) continue;
      if (foldOf(r) === f || resight[r]) queries.push({ row: r, fold: f });
    }
  }
  return { queries, inGallery: (f, r) => rows.individual[r] >= 0 && foldOf(r) !== f && !resight[r], foldOf };
}

/**
 * Fits the open-set estimate on a catalog's confirmed identities by holding individuals out
 * (heldOutQueries): each query is ranked against its fold's gallery (its own encounter, other
 * sides and body parts left out, as matching does). Candidates of the re-sighting queries teach
 * P(candidate is the one).
 */
export async function calibrateOpenSet(rows: OpenSetRows, scoreRows: ScoreRows, o: CalibrateOptions = {}): Promise<OpenSetModel> {
  const individuals = new Set<number>();
  let identified = 0;
  for (let r = 0; r < rows.size; r++) {
    if (rows.individual[r] >= 0) {
      identified++;
      individuals.add(rows.individual[r]);
    }
  }
  const prior = identified ? individuals.size / identified : 1;
  const min = o.minIndividuals ?? MIN_INDIVIDUALS;
  if (individuals.size < min) return OpenSetModel.uninformed(prior, `not enough confirmed individuals to estimate (${individuals.size} of ${min})`);
  const { queries: all, inGallery } = heldOutQueries(rows);
  const want = o.samples ?? SAMPLES;
  const step = Math.max(1, all.length / want);
  const picked: HeldOutQuery[] = [];
  for (let i = 0; i < all.length && picked.length < want; i += step) picked.push(all[Math.floor(i)]);
  const queries: QuerySample[] = [];
  const candidates: CandidateSample[] = [];
  const batch = o.batch ?? Math.max(1, Math.min(64, Math.floor(16_000_000 / Math.max(1, rows.size))));
  for (let b0 = 0; b0 < picked.length; b0 += batch) {
    const qs = picked.slice(b0, b0 + batch);
    const scores = await scoreRows(qs.map((q) => q.row));
    qs.forEach(({ row: q, fold }, i) => {
      const row = scores.subarray(i * rows.size, (i + 1) * rows.size);
      sampleQuery(row, rows, q, (r) => inGallery(fold, r), 1, queries, candidates);
    });
  }
  return OpenSetModel.fit({ queries, candidates, prior, individuals: individuals.size });
}

/**
 * The calibration samples of query row `q` from its score row: ranked against the gallery rows
 * `inGallery` keeps that are comparable (same group, another encounter), as matching ranks.
 */
export function sampleQuery(row: ArrayLike<number>, rows: OpenSetRows, q: number, inGallery: (r: number) => boolean, weight: number, queries: QuerySample[], candidates: CandidateSample[]): void {
  const ind = rows.individual[q];
  const enc = rows.encounter[q];
  const grp = rows.group[q];
  const comparable = (r: number) => r !== q && inGallery(r) && rows.group[r] === grp && (enc < 0 || rows.encounter[r] !== enc);
  const ranked = rankFromRow(row, rows.size, rows.individual, comparable, Infinity);
  if (ranked.length === 0) return;
  const isNew = ranked.every((x) => x.individualId !== ind) ? 1 : 0;
  const top = ranked.slice(0, FEATURE_TOP);
  queries.push({ x: queryFeatures(top), isNew, individual: ind, weight });
  if (!isNew) top.forEach((c, j) => candidates.push({ x: candidateFeatures(top, j), correct: c.individualId === ind ? 1 : 0 }));
}

/**
 * Of the given rows, those of the latest sighting (by order, else encounter) of each individual and
 * group that has at least `minSightings` sightings among them.
 */
export function latestSightings(rows: OpenSetRows, given: number[], minSightings = 1): number[] {
  const sighting = (r: number) => (rows.encounter[r] >= 0 ? rows.encounter[r] : -1 - r);
  const when = (r: number) => {
    const t = rows.order?.[r];
    return t !== undefined && Number.isFinite(t) ? t : sighting(r);
  };
  const latest = new Map<string, { s: number; t: number; all: Set<number> }>();
  for (const r of given) {
    const k = `${rows.individual[r]}:${rows.group[r]}`;
    const e = latest.get(k) ?? { s: sighting(r), t: -Infinity, all: new Set<number>() };
    e.all.add(sighting(r));
    if (when(r) > e.t || (when(r) === e.t && sighting(r) > e.s)) Object.assign(e, { s: sighting(r), t: when(r) });
    latest.set(k, e);
  }
  return given.filter((r) => {
    const e = latest.get(`${rows.individual[r]}:${rows.group[r]}`)!;
    return e.all.size >= minSightings && e.s === sighting(r);
  });
}
