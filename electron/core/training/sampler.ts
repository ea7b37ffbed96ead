import type { Rng } from './random';

/** Samples grouped by individual, keeping only individuals with at least two samples. */
export function poolsOf(samples: ArrayLike<number>, label: ArrayLike<number>): number[][] {
  const by = new Map<number, number[]>();
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    const l = label[s];
    let a = by.get(l);
    if (!a) by.set(l, (a = []));
    a.push(s);
  }
  return [...by.keys()].sort((a, b) => a - b).map((k) => by.get(k)!).filter((a) => a.length >= 2);
}

/**
 * A class-balanced batch: up to `individuals` distinct individuals, each with up to `perIndividual`
 * distinct samples (at least two, so every sample has a positive). Returns sample indices.
 */
export function balancedBatch(pools: number[][], rng: Rng, individuals = 20, perIndividual = 4): number[] {
  const out: number[] = [];
  for (const pool of rng.pick(pools, individuals)) out.push(...rng.pick(pool, perIndividual));
  return out;
}
