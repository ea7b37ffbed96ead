/** 32-bit mix (murmur3 finaliser): spreads nearby seeds apart. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Caudal's one pseudo-random generator: sfc32, seeded through splitmix32, so that a training
 * run is reproducible bit for bit from its seed and resumable from a saved state (the synthetic
 * photo generator seeds the same generator its own way, see synth/prng).
 */
export class Rng {
  private s: Uint32Array;

  constructor(seed: number | Uint32Array) {
    if (seed instanceof Uint32Array) {
      this.s = new Uint32Array(seed);
      return;
    }
    let x = seed >>> 0;
    const next = () => mix32((x = (x + 0x9e3779b9) >>> 0));
    this.s = new Uint32Array([next(), next(), next(), next()]);
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** The full state, for checkpoints. */
  state(): Uint32Array {
    return new Uint32Array(this.s);
  }

  nextU32(): number {
    const s = this.s;
    const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0;
    s[3] = (s[3] + 1) >>> 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) >>> 0;
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0;
    s[2] = (s[2] + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** k distinct items of `a` (partial Fisher-Yates on a copy). */
  pick<T>(a: readonly T[], k: number): T[] {
    const c = a.slice();
    const m = Math.min(k, c.length);
    for (let i = 0; i < m; i++) {
      const j = i + this.int(c.length - i);
      const t = c[i];
      c[i] = c[j];
      c[j] = t;
    }
    return c.slice(0, m);
  }
}
