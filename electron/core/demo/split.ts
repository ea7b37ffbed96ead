import { hashSeed, rng } from '../synth/prng';

/** One labelled photo as the demo sees it. */
export interface DemoPhoto {
  /** As written in labels.csv (relative to its folder). */
  image: string;
  individual: string;
  side: string | null;
  sighting: string;
  /** Order of capture when known (file order otherwise): sightings are ordered by it. */
  order: number;
}

/**
 * What the demo does with each photo, the way a catalog grows in the field:
 * - `catalog`: identified already (imported with its label: the existing catalog);
 * - `review`: a later sighting the demo matches and reviews automatically from its label;
 * - `holdout`: the latest sightings, left unidentified: they score the model before and after
 *   fine-tuning (never trained on) and wait in the Review screen for a person.
 * A share of individuals are newcomers with no catalog photo: review meets them as "new".
 */
export type DemoRole = 'catalog' | 'review' | 'holdout';

export interface DemoSplit {
  roles: Map<string, DemoRole>;
  individuals: number;
  newcomers: string[];
  counts: Record<DemoRole, number>;
}

export function splitForDemo(photos: DemoPhoto[], seed: number, newcomerShare = 0.12): DemoSplit {
  const r = rng(hashSeed(seed, 'demo-split'));
  const byIndividual = new Map<string, Map<string, DemoPhoto[]>>();
  for (const p of photos) {
    const sightings = byIndividual.get(p.individual) ?? new Map<string, DemoPhoto[]>();
    const key = `${p.side ?? ''}\u0000${p.sighting}`;
    sightings.set(key, [...(sightings.get(key) ?? []), p]);
    byIndividual.set(p.individual, sightings);
  }
  const roles = new Map<string, DemoRole>();
  const newcomers: string[] = [];
  const individuals = [...byIndividual.keys()].sort();
  for (const ind of individuals) {
    const sightings = [...byIndividual.get(ind)!.values()].sort((a, b) => Math.min(...a.map((p) => p.order)) - Math.min(...b.map((p) => p.order)));
    const n = sightings.length;
    const newcomer = n >= 3 && r.chance(newcomerShare);
    let plan: DemoRole[];
    if (n === 1) plan = ['catalog'];
    else if (n === 2) plan = ['catalog', 'holdout'];
    else if (newcomer) {
      // Seen first during this review: the first sighting is declared new, the next ones confirmed to it.
      newcomers.push(ind);
      const hold = Math.max(1, Math.floor(n / 4));
      plan = sightings.map((_, k) => (k >= n - hold ? 'holdout' : 'review'));
    } else {
      const cat = Math.max(1, Math.ceil(n * 0.4));
      const hold = Math.max(1, Math.floor(n / 4));
      plan = sightings.map((_, k) => (k < cat ? 'catalog' : k >= n - hold ? 'holdout' : 'review'));
    }
    sightings.forEach((photosOfSighting, k) => {
      for (const p of photosOfSighting) roles.set(p.image, plan[k]);
    });
  }
  const counts: Record<DemoRole, number> = { catalog: 0, review: 0, holdout: 0 };
  for (const role of roles.values()) counts[role]++;
  return { roles, individuals: individuals.length, newcomers, counts };
}
