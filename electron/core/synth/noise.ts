import { mix32 } from '../training/random';

/** Smooth value noise in [-1, 1] on an integer lattice hashed from `seed`: blotchy pigment fields and ragged edges. */
export function valueNoise2(seed: number, x: number, y: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const fx = x - xi;
  const fy = y - yi;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const v00 = lattice(seed, xi, yi);
  const v10 = lattice(seed, xi + 1, yi);
  const v01 = lattice(seed, xi, yi + 1);
  const v11 = lattice(seed, xi + 1, yi + 1);
  const a = v00 + (v10 - v00) * sx;
  const b = v01 + (v11 - v01) * sx;
  return a + (b - a) * sy;
}

export function valueNoise1(seed: number, x: number): number {
  const xi = Math.floor(x);
  const f = x - xi;
  const s = f * f * (3 - 2 * f);
  const a = lattice(seed, xi, 0x5bd1);
  return a + (lattice(seed, xi + 1, 0x5bd1) - a) * s;
}

/** Two octaves: large patches with ragged borders. */
export function fbm2(seed: number, x: number, y: number, octaves = 2): number {
  let sum = 0;
  let amp = 1;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    sum += amp * valueNoise2(seed + o * 7919, x, y);
    norm += amp;
    amp *= 0.5;
    x *= 2.03;
    y *= 2.03;
  }
  return sum / norm;
}

function lattice(seed: number, x: number, y: number): number {
  return (mix32(seed ^ Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1)) / 4294967296) * 2 - 1;
}
