import { hashSeed, rng, type Rng } from './prng';

/**
 * Everything about one photo that is NOT the animal: pose, framing, light, sea, sky, spray,
 * blur and sensor noise. Drawn from the photo's own random stream and made deliberately strong,
 * so that generic (ImageNet) features see mostly the scene and only a trained embedding learns
 * to look at the fluke's outline and pattern.
 */
export interface Scene {
  /** Fluke span in pixels and its centre (image coordinates, y down). */
  span: number;
  cx: number;
  cy: number;
  /** Horizontal foreshortening (yaw), vertical foreshortening (pitch), in-plane roll (radians), keystone. */
  yaw: number;
  pitch: number;
  roll: number;
  keystone: number;
  /** Local y (fluke coordinates) of the sea surface at the tail stock. */
  waterline: number;
  /** Image row of the horizon (may be above the frame). */
  horizon: number;
  skyTop: RGB;
  skyLow: RGB;
  sea: RGB;
  seaFar: RGB;
  waves: Array<{ kx: number; kz: number; a: number; p: number }>;
  glint: number;
  coast: { height: number; colour: RGB; seed: number } | null;
  /** Light on the animal. */
  exposure: number;
  contrast: number;
  tint: RGB;
  backlight: number;
  sideLight: number;
  sheen: number;
  haze: number;
  spray: number;
  foam: number;
  blur: number;
  noise: number;
  quality: number;
  seed: number;
}

export type RGB = [number, number, number];

const skies: Array<[RGB, RGB]> = [
  [[0.32, 0.52, 0.82], [0.72, 0.82, 0.92]], // clear
  [[0.55, 0.58, 0.62], [0.78, 0.79, 0.8]], // overcast
  [[0.42, 0.5, 0.6], [0.8, 0.78, 0.72]], // hazy
  [[0.35, 0.38, 0.55], [0.95, 0.7, 0.5]], // low sun
  [[0.24, 0.3, 0.38], [0.5, 0.55, 0.6]], // storm
];
const seas: Array<[RGB, RGB]> = [
  [[0.04, 0.12, 0.24], [0.3, 0.4, 0.52]], // deep blue
  [[0.05, 0.2, 0.22], [0.35, 0.48, 0.5]], // teal
  [[0.15, 0.18, 0.2], [0.48, 0.5, 0.52]], // slate
  [[0.07, 0.14, 0.1], [0.32, 0.38, 0.34]], // green coastal
  [[0.02, 0.05, 0.09], [0.2, 0.25, 0.32]], // dark
];

export function makeScene(seed: number, photoIndex: number, width: number, height: number): Scene {
  const r = rng(hashSeed(seed, 'photo', photoIndex));
  const big = r.chance(0.1);
  const span = width * (big ? r.range(0.9, 1.15) : r.range(0.4, 0.88));
  const yaw = clamp(r.normal(0, 0.3), -0.75, 0.75);
  const pitch = r.range(0.55, 1.05);
  const roll = clamp(r.normal(0, 0.12), -0.35, 0.35);
  const cx = width * (0.5 + clamp(r.normal(0, 0.09), -0.2, 0.2));
  const cy = height * (0.5 + clamp(r.normal(0, 0.07), -0.15, 0.15));
  const waterline = r.chance(0.2) ? r.range(-0.12, 0.05) : r.range(-0.9, -0.3);
  // The sea line at the tail stock sits below the fluke; the horizon is somewhere above it.
  const seaRow = cy + ((0.15 - waterline) * span * pitch) / 2;
  const horizon = r.chance(0.2) ? -r.range(5, 60) : Math.min(seaRow - 10, r.range(-0.1, 0.75) * height);
  const [skyTop, skyLow] = jitterPair(r, r.pick(skies));
  const [sea, seaFar] = jitterPair(r, r.pick(seas));
  const waves = Array.from({ length: 3 }, (_, k) => ({ kx: r.range(0.5, 3) * (k + 1), kz: r.range(2, 8) * (k + 1), a: r.range(0.15, 0.6) / (k + 1), p: r.range(0, Math.PI * 2) }));
  const warm = r.normal(0, 0.06);
  return {
    span,
    cx,
    cy,
    yaw,
    pitch,
    roll,
    keystone: Math.sin(yaw) * r.range(0.05, 0.25),
    waterline,
    horizon,
    skyTop,
    skyLow,
    sea,
    seaFar,
    waves,
    glint: r.chance(0.4) ? r.range(0.3, 1) : 0,
    coast: r.chance(0.3) ? { height: r.range(3, 22), colour: [r.range(0.15, 0.3), r.range(0.2, 0.32), r.range(0.2, 0.3)], seed: r.int(0, 2 ** 30) } : null,
    exposure: r.range(0.6, 1.3),
    contrast: r.range(0.75, 1.2),
    tint: [1 + warm, 1, 1 - warm],
    backlight: r.chance(0.3) ? r.range(0.2, 0.6) : r.range(0, 0.15),
    sideLight: r.range(-0.35, 0.35),
    sheen: r.range(0, 0.25),
    haze: r.range(0, 0.2),
    spray: r.chance(0.6) ? r.range(0.1, 1) : 0,
    foam: r.range(0.2, 1),
    blur: r.chance(0.5) ? r.range(0, 0.4) : r.range(0.4, 1.4),
    noise: r.range(1, 7),
    quality: r.int(74, 92),
    seed: r.int(0, 2 ** 30),
  };
}

function jitterPair(r: Rng, [a, b]: [RGB, RGB]): [RGB, RGB] {
  const j = (c: RGB): RGB => [clamp(c[0] + r.normal(0, 0.04), 0, 1), clamp(c[1] + r.normal(0, 0.04), 0, 1), clamp(c[2] + r.normal(0, 0.04), 0, 1)];
  return [j(a), j(b)];
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
