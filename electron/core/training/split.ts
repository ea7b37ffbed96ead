import type { FeatureSet } from './dataset';
import { Rng } from './random';

export interface EvalSplit {
  queries: number[];
  gallery: number[];
}

export interface ValidationSplit {
  /** Samples the validation run trains on. */
  train: number[];
  /** Individuals the run never sees: every photo a query against the others. */
  unseen: EvalSplit;
  /** Later sightings of the trained individuals against the earlier ones (the field case). */
  resight: EvalSplit;
}

/**
 * Holds out a share of the individuals entirely (unseen) and, for every other individual and side
 * with two or more sightings, the later half of its sightings (re-sighting); the rest is training data.
 */
export function validationSplit(s: FeatureSet, seed: number, unseenShare = 0.2): ValidationSplit {
  const rng = new Rng(seed ^ 0x5eed);
  const n = s.ids.length;
  const individuals = [...new Set(Array.from(s.label))].sort((a, b) => a - b);
  const held = new Set(rng.shuffle(individuals.slice()).slice(0, Math.round(individuals.length * unseenShare)));
  const unseen: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < n; i++) (held.has(s.label[i]) ? unseen : rest).push(i);

  const later = laterSightings(s, rest);
  const queries: number[] = [];
  const train: number[] = [];
  for (const i of rest) (later.has(i) ? queries : train).push(i);
  return { train, unseen: { queries: unseen, gallery: unseen }, resight: { queries, gallery: train } };
}

/**
 * Of the given samples, those in the later half of their individual-and-side's sightings
 * (chronologically; only individual-sides with two or more sightings have a later half): the
 * re-sighting queries, whose earlier sightings stay in the catalog.
 */
export function laterSightings(s: FeatureSet, samples: number[]): Set<number> {
  const bySide = new Map<string, Map<number, number>>();
  for (const i of samples) {
    const key = `${s.label[i]}|${s.side[i]}`;
    let m = bySide.get(key);
    if (!m) bySide.set(key, (m = new Map()));
    const cur = m.get(s.group[i]);
    m.set(s.group[i], cur === undefined ? s.order[i] : Math.min(cur, s.order[i]));
  }
  const later = new Set<string>();
  for (const [key, groups] of bySide) {
    if (groups.size < 2) continue;
    const sorted = [...groups.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    for (const [g] of sorted.slice(Math.ceil(sorted.length / 2))) later.add(`${key}|${g}`);
  }
  return new Set(samples.filter((i) => later.has(`${s.label[i]}|${s.side[i]}|${s.group[i]}`)));
}
