/**
 * The open-set protocol (`caudal eval --open-set`), Kaggle humpback style: a seeded share of the
 * individuals is left out of the gallery, and "new individual" is a label. Every item is a query
 * against the gallery items of its side (its own sighting and itself left out); its right answer
 * is its individual when the gallery holds it, else "new". The open-set estimate is calibrated on
 * the gallery alone (as on a user's catalog) and places "new" among the candidates; MAP@5 scores
 * the list with "new" in that place.
 */
import { Rng } from '../training/random';
import type { LabelledItem } from './evaluate';
import { calibrateOpenSet } from './open-set/calibrate';
import { rankFromRow } from './open-set/features';

export interface OpenSetRun {
  seed: number;
  /** Individuals left out of the gallery. */
  heldOut: number;
  queries: number;
  /** Queries whose right answer is "new" (left-out individuals, and individuals with no other sighting). */
  newQueries: number;
  map5: number;
  map5Known: number;
  map5New: number;
  /**
   * Whether the query model was calibrated on the gallery. When not, "new" carries the held-out
   * rate (ranked against the candidates' probabilities where those were fitted) or, on a gallery
   * too small to measure anything, the prior, placed last.
   */
  calibrated: boolean;
}

/** One scored query: where its answer and "new" stood (1-based; answerRank 0 = not among the candidates, or the answer is "new"). */
export interface OpenSetQuery {
  seed: number;
  individual: string;
  isNew: boolean;
  answerRank: number;
  newRank: number;
  ap: number;
}

export interface OpenSetReport {
  newShare: number;
  runs: OpenSetRun[];
  /** Mean over seeds. */
  map5: number;
}

export async function evaluateOpenSet(items: LabelledItem[], sim: Float32Array, newShare: number, seeds: number[], onQuery?: (q: OpenSetQuery) => void): Promise<OpenSetReport> {
  if (!(newShare > 0 && newShare < 1)) throw new Error(`--new-share must be between 0 and 1 (got ${newShare})`);
  const runs: OpenSetRun[] = [];
  for (const seed of seeds) runs.push(await oneRun(items, sim, newShare, seed, onQuery));
  return { newShare, runs, map5: runs.reduce((s, r) => s + r.map5, 0) / runs.length };
}

async function oneRun(items: LabelledItem[], sim: Float32Array, newShare: number, seed: number, onQuery?: (q: OpenSetQuery) => void): Promise<OpenSetRun> {
  const n = items.length;
  const names = [...new Set(items.map((i) => i.individual))].sort();
  const held = new Set(new Rng(seed).shuffle([...names]).slice(0, Math.round(names.length * newShare)));
  const code = new Map(names.map((nm, i) => [nm, i]));
  const codes = (vals: Array<string | null | undefined>) => {
    const m = new Map<string, number>();
    return Int32Array.from(vals, (v) => (v ? (m.get(v) ?? m.set(v, m.size).get(v)!) : -1));
  };
  const truth = Int32Array.from(items, (it) => code.get(it.individual)!);
  // Gallery rows: the kept individuals' items; left-out items are queries only.
  const individual = Int32Array.from(items, (it, i) => (held.has(it.individual) ? -1 : truth[i]));
  const encounter = codes(items.map((it) => it.sighting));
  const side = codes(items.map((it) => it.side));
  const model = await calibrateOpenSet({ size: n, individual, encounter, group: Int32Array.from(side, (s) => s + 1) }, async (qs) => {
    const out = new Float32Array(qs.length * n);
    qs.forEach((q, i) => out.set(sim.subarray(q * n, (q + 1) * n), i * n));
    return out;
  });
  let sum = 0;
  let sumKnown = 0;
  let sumNew = 0;
  let newQueries = 0;
  for (let q = 0; q < n; q++) {
    const allowed = (r: number) => r !== q && (side[q] < 0 || side[r] === side[q]) && (encounter[q] < 0 || encounter[r] !== encounter[q]);
    const ranked = rankFromRow(sim.subarray(q * n, (q + 1) * n), n, individual, allowed);
    const e = model.estimate(ranked);
    // The answer list: candidates by score with "new" (-1) at its rank.
    const list = ranked.map((c) => c.individualId);
    list.splice(e.rank - 1, 0, -1);
    // Right answer: the individual when the gallery holds it for this query, else "new".
    const inGallery = individual[q] >= 0 && hasAllowedRow(individual, truth[q], n, allowed);
    const answer = inGallery ? truth[q] : -1;
    const pos = list.slice(0, 5).indexOf(answer);
    const ap = pos < 0 ? 0 : 1 / (pos + 1);
    onQuery?.({ seed, individual: items[q].individual, isNew: answer === -1, answerRank: answer === -1 ? 0 : ranked.findIndex((c) => c.individualId === answer) + 1, newRank: e.rank, ap });
    sum += ap;
    if (answer === -1) {
      newQueries++;
      sumNew += ap;
    } else sumKnown += ap;
  }
  return {
    seed,
    heldOut: held.size,
    queries: n,
    newQueries,
    map5: sum / n,
    map5Known: sumKnown / Math.max(1, n - newQueries),
    map5New: sumNew / Math.max(1, newQueries),
    calibrated: model.calibrated,
  };
}

function hasAllowedRow(individual: Int32Array, ind: number, n: number, allowed: (r: number) => boolean): boolean {
  for (let r = 0; r < n; r++) if (individual[r] === ind && allowed(r)) return true;
  return false;
}
