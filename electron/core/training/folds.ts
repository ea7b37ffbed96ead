import type { FeatureSet } from './dataset';
import { Rng } from './random';
import { laterSightings, type ValidationSplit } from './split';

/**
 * Folds are dealt from one fixed shuffle of the catalog's individuals, never from a run's seed: two
 * runs on the same confirmed identities see the same held-out data, so their estimates compare.
 */
const FOLD_SEED = 0xf01d;

/** Fewer individuals than two per fold would leave unseen queries with nothing to be confused with. */
export function foldCount(set: FeatureSet, wanted: number): number {
  const individuals = new Set(set.label).size;
  return Math.max(2, Math.min(wanted, Math.floor(individuals / 2)));
}

/** The individuals (labels) of each of k folds, dealt round-robin from a fixed shuffle (research scripts vary `seed`). */
export function foldsOf(set: FeatureSet, k: number, seed = FOLD_SEED): number[][] {
  return dealIndividuals(set.label, k, seed);
}

/** The distinct individuals of `labels` (one per sample), sorted, shuffled by `seed`, dealt round-robin into k folds. */
export function dealIndividuals<L extends number | string>(labels: ArrayLike<L>, k: number, seed: number): L[][] {
  const individuals = [...new Set(Array.from(labels))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const shuffled = new Rng(seed).shuffle(individuals);
  return Array.from({ length: k }, (_, f) => shuffled.filter((_, i) => i % k === f));
}

/**
 * Fold f's held-out data, the two protocols a user meets, from one training run: fold f's
 * individuals are unseen (every photo a query against the others of the fold); the later sightings
 * of fold f+1's individuals are re-sighting queries against everything the run trains on, i.e. their
 * own earlier sightings among every other confirmed individual (the mixed catalog of the field).
 * Over the k folds every individual is unseen once and has its later sightings queried once.
 */
export function foldSplit(set: FeatureSet, folds: number[][], f: number): ValidationSplit {
  const unseenIds = new Set(folds[f]);
  const resightIds = new Set(folds[(f + 1) % folds.length]);
  const unseen: number[] = [];
  const rest: number[] = [];
  const candidates: number[] = [];
  for (let i = 0; i < set.ids.length; i++) {
    if (unseenIds.has(set.label[i])) unseen.push(i);
    else {
      rest.push(i);
      if (resightIds.has(set.label[i])) candidates.push(i);
    }
  }
  const later = laterSightings(set, candidates);
  const train = rest.filter((i) => !later.has(i));
  return { train, unseen: { queries: unseen, gallery: unseen }, resight: { queries: [...later].sort((a, b) => a - b), gallery: train } };
}
