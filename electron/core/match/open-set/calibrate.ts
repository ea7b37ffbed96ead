import { candidateFeatures, FEATURE_TOP, queryFeatures, rankFromRow } from './features';
import { OpenSetModel, type CandidateSample, type QuerySample } from './model';

/** The rows calibration reads: who each is (-1 = not identified), its encounter (-1 = none), its comparable group (side and body part). */
export interface OpenSetRows {
  size: number;
  individual: ArrayLike<number>;
  encounter: ArrayLike<number>;
  group: ArrayLike<number>;
}

/** Full score rows of the given query rows against all `size` rows, row-major. */
export type ScoreRows = (queries: number[]) => Promise<Float32Array>;

export interface CalibrateOptions {
  /** Query rows sampled (spread evenly over identified rows). */
  samples?: number;
  /** Below this many confirmed individuals the prior is used and the reviewer told so. */
  minIndividuals?: number;
  batch?: number;
}

export const MIN_INDIVIDUALS = 8;
const SAMPLES = 400;

/**
 * Fits the open-set estimate on a catalog's confirmed identities by holding individuals out:
 * each sampled identified annotation is queried against the rest of the catalog (its own
 * encounter, other sides and body parts left out, as matching does) twice: as it is (a
 * re-sighting when another photo of its individual remains, else new) and with its whole
 * individual held out (new). Candidates of the re-sighting queries teach P(candidate is the one).
 */
export async function calibrateOpenSet(rows: OpenSetRows, scoreRows: ScoreRows, o: CalibrateOptions = {}): Promise<OpenSetModel> {
  const ids: number[] = [];
  const individuals = new Set<number>();
  for (let r = 0; r < rows.size; r++) {
    if (rows.individual[r] >= 0) {
      ids.push(r);
      individuals.add(rows.individual[r]);
    }
  }
  // Photos per individual and group: what a later photo of the individual would find searchable.
  const held = new Map<string, number>();
  for (const r of ids) {
    const k = `${rows.individual[r]}:${rows.group[r]}`;
    held.set(k, (held.get(k) ?? 0) + 1);
  }
  const prior = ids.length ? individuals.size / ids.length : 1;
  const min = o.minIndividuals ?? MIN_INDIVIDUALS;
  if (individuals.size < min) return OpenSetModel.uninformed(prior, `not enough confirmed individuals to estimate (${individuals.size} of ${min})`);
  const want = o.samples ?? SAMPLES;
  const step = Math.max(1, ids.length / want);
  const picked: number[] = [];
  for (let i = 0; i < ids.length && picked.length < want; i += step) picked.push(ids[Math.floor(i)]);
  const queries: QuerySample[] = [];
  const candidates: CandidateSample[] = [];
  const batch = o.batch ?? Math.max(1, Math.min(64, Math.floor(16_000_000 / Math.max(1, rows.size))));
  for (let b0 = 0; b0 < picked.length; b0 += batch) {
    const qs = picked.slice(b0, b0 + batch);
    const scores = await scoreRows(qs);
    qs.forEach((q, i) => {
      const row = scores.subarray(i * rows.size, (i + 1) * rows.size);
      const ind = rows.individual[q];
      const enc = rows.encounter[q];
      const grp = rows.group[q];
      const comparable = (r: number) => r !== q && rows.group[r] === grp && (enc < 0 || rows.encounter[r] !== enc);
      const asIs = rankFromRow(row, rows.size, rows.individual, comparable, Infinity);
      if (asIs.length === 0) return;
      const mine = asIs.findIndex((x) => x.individualId === ind);
      if (mine < 0) {
        queries.push({ x: queryFeatures(asIs.slice(0, FEATURE_TOP)), isNew: 1, individual: ind });
        return;
      }
      // Left out, the query and its encounter took photos from its own individual's count; a later
      // photo of that individual would find all of them, and uncorrected, "fewer photos than usual"
      // would read as "a re-sighting" (every other individual keeps its full count).
      asIs[mine] = { ...asIs[mine], count: held.get(`${ind}:${grp}`) ?? asIs[mine].count };
      const top = asIs.slice(0, FEATURE_TOP);
      queries.push({ x: queryFeatures(top), isNew: 0, individual: ind });
      top.forEach((c, j) => candidates.push({ x: candidateFeatures(top, j), correct: c.individualId === ind ? 1 : 0 }));
      const without = asIs.filter((x) => x.individualId !== ind).slice(0, FEATURE_TOP);
      if (without.length) queries.push({ x: queryFeatures(without), isNew: 1, individual: ind });
    });
  }
  return OpenSetModel.fit({ queries, candidates, prior, individuals: individuals.size });
}
