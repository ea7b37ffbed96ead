import { mix32, Rng as SeededRng } from '../training/random';

/**
 * Seeded randomness for the generator. Every individual and every photo gets its own stream,
 * derived by hashing (seed, kind, index), so photo 40,000 renders identically whichever worker
 * draws it and in whatever order: output depends on the seed alone.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  range(lo: number, hi: number): number;
  int(lo: number, hiInclusive: number): number;
  normal(mean?: number, sd?: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}


export function hashSeed(...parts: Array<number | string>): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    if (typeof p === 'number') h = mix32(h ^ mix32((p | 0) + 0x632be5ab) ^ mix32(Math.floor(p / 4294967296)));
    else for (let i = 0; i < p.length; i++) h = mix32(h ^ (p.charCodeAt(i) + 0x27d4eb2f));
  }
  return h;
}

/** The shared sfc32 generator, seeded as the generator always was (its datasets stay the same). */
export function rng(seed: number): Rng {
  const core = new SeededRng(new Uint32Array([0x9e3779b9 ^ seed, mix32(seed + 1), mix32(seed + 2), 1]));
  const next = (): number => core.next();
  for (let i = 0; i < 12; i++) next();
  let spare: number | null = null;
  return {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    normal(mean = 0, sd = 1) {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return mean + sd * s;
      }
      const u = Math.max(next(), 1e-12);
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + sd * r * Math.cos(2 * Math.PI * v);
    },
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}
