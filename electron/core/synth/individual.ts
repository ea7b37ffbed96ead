import { fbm2, valueNoise1 } from './noise';
import { hashSeed, rng, type Rng } from './prng';
import { mix32 } from '../training/random';

/**
 * One synthetic humpback: the ventral side of its tail fluke, drawn once into a texture in the
 * fluke's own coordinates (x across the span in [-1, 1], y up, trailing edge on top). Identity
 * lives in this texture only: the trailing-edge outline (notch, scallops, serration, nicks, a
 * bitten-off chunk, tip shape) and the black/white pigmentation with its spots, scars and rake
 * marks. Photos (render.ts) only look at it differently.
 */
export interface FlukeTexture {
  width: number;
  height: number;
  /** Reflectance in [0, 1] per texel (row-major, row 0 = top = y max). */
  albedo: Float32Array;
  /** Coverage in [0, 1]: 1 inside the animal, fractional on its outline (antialiasing). */
  cover: Float32Array;
  /** Trailing-edge height per texture column (local y), NaN beyond the tips: spray falls from it. */
  trailing: Float32Array;
  /** Per texture row, the first and last column with any coverage (first > last when none). */
  rowFirst: Int16Array;
  rowLast: Int16Array;
}

export interface Individual {
  index: number;
  code: string;
  /** 'white' | 'mixed' | 'dark' ventral colouration, as humpback catalogues class flukes. */
  colouration: string;
  texture: FlukeTexture;
}

/** The region of fluke coordinates the texture covers. */
export const TEX_X0 = -1.08;
export const TEX_X1 = 1.08;
export const TEX_Y0 = -1.35;
export const TEX_Y1 = 0.9;
export const TEX_W = 384;
export const TEX_H = Math.round((TEX_W * (TEX_Y1 - TEX_Y0)) / (TEX_X1 - TEX_X0));

interface Lobe {
  scale: number;
  scallops: Array<{ f: number; a: number; p: number }>;
  serrationAmp: number;
  serrationFreq: number;
  serrationSeed: number;
  nicks: Array<{ u: number; depth: number; width: number; round: boolean }>;
}

interface Outline {
  t0: number;
  t1: number;
  tipCurl: number;
  notchDepth: number;
  notchWidth: number;
  chord: number;
  tipP: number;
  tipQ: number;
  peduncle: number;
  lobes: [Lobe, Lobe];
}

export function individualCode(index: number): string {
  return `SYN-${String(index + 1).padStart(5, '0')}`;
}

export function makeIndividual(seed: number, index: number): Individual {
  const r = rng(hashSeed(seed, 'individual', index));
  const outline = makeOutline(r);
  const style = r.next();
  const colouration = style < 0.35 ? 'white' : style < 0.75 ? 'mixed' : 'dark';
  const whiteShare = colouration === 'white' ? r.range(0.72, 0.93) : colouration === 'mixed' ? r.range(0.4, 0.7) : r.range(0.06, 0.3);
  const texture = drawTexture(r, outline, whiteShare);
  return { index, code: individualCode(index), colouration, texture };
}

function makeLobe(r: Rng): Lobe {
  const nicks: Lobe['nicks'] = [];
  const n = r.int(0, 5);
  for (let i = 0; i < n; i++) nicks.push({ u: r.range(0.12, 0.95), depth: r.range(0.015, 0.07), width: r.range(0.008, 0.035), round: r.chance(0.4) });
  if (r.chance(0.12)) nicks.push({ u: r.range(0.3, 0.85), depth: r.range(0.06, 0.14), width: r.range(0.05, 0.1), round: true }); // a bite
  const scallops = Array.from({ length: r.int(1, 3) }, () => ({ f: r.range(2, 9), a: r.range(0.003, 0.016), p: r.range(0, Math.PI * 2) }));
  return {
    scale: 1 + r.normal(0, 0.025),
    scallops,
    serrationAmp: r.range(0.002, 0.011),
    serrationFreq: r.range(25, 60),
    serrationSeed: r.int(0, 2 ** 30),
    nicks,
  };
}

function makeOutline(r: Rng): Outline {
  return {
    t0: r.range(0.12, 0.26),
    t1: r.range(0.22, 0.42),
    tipCurl: r.range(0, 0.22),
    notchDepth: r.range(0.04, 0.15),
    notchWidth: r.range(0.035, 0.09),
    chord: r.range(0.46, 0.62),
    tipP: r.range(1.5, 3),
    tipQ: r.range(0.35, 1),
    peduncle: r.range(0.09, 0.14),
    lobes: [makeLobe(r), makeLobe(r)],
  };
}

/** Trailing edge at local x: smooth base curve plus this individual's irregularities. */
function trailingEdge(o: Outline, x: number): { top: number; smooth: number; u: number } {
  const lobe = o.lobes[x < 0 ? 0 : 1];
  const u = Math.abs(x) / lobe.scale;
  const smooth = o.t0 + o.t1 * u ** 1.5 + o.tipCurl * u ** 6 - o.notchDepth * Math.exp(-((u / o.notchWidth) ** 2));
  let top = smooth;
  for (const s of lobe.scallops) top += s.a * Math.sin(s.f * u * Math.PI * 2 + s.p) * Math.min(1, u * 6);
  top += lobe.serrationAmp * valueNoise1(lobe.serrationSeed, u * lobe.serrationFreq);
  for (const n of lobe.nicks) {
    const d = Math.abs(u - n.u) / n.width;
    if (d < 1) top -= n.depth * (n.round ? Math.sqrt(1 - d * d) : 1 - d);
  }
  return { top, smooth, u };
}

function leadingEdge(o: Outline, smoothTop: number, u: number): number {
  const chord = o.chord * Math.max(0, 1 - u ** o.tipP) ** o.tipQ + 0.004;
  return smoothTop - chord - 0.1 * Math.exp(-((u / 0.2) ** 2));
}

function drawTexture(r: Rng, o: Outline, whiteShare: number): FlukeTexture {
  const W = TEX_W;
  const H = TEX_H;
  const sx = (TEX_X1 - TEX_X0) / W;
  const sy = (TEX_Y1 - TEX_Y0) / H;
  const albedo = new Float32Array(W * H);
  const cover = new Float32Array(W * H);
  const pattern = new Float32Array(W * H).fill(NaN);
  const trailing = new Float32Array(W).fill(NaN);
  const tops = new Float32Array(W);
  const bots = new Float32Array(W);

  // Pigment field: blotchy noise plus a few large patches, partly mirrored across the midline
  // (real flukes are roughly but never exactly symmetric).
  const fieldSeed = r.int(0, 2 ** 30);
  const freq = r.range(2.2, 4.5);
  const symmetry = r.range(0.2, 0.8);
  const blobs = Array.from({ length: r.int(2, 7) }, () => ({
    x: r.range(-0.95, 0.95),
    y: r.range(-0.15, 0.55),
    rx: r.range(0.08, 0.35),
    ry: r.range(0.05, 0.2),
    g: r.range(-1.2, 1.2),
  }));
  const field = (x: number, y: number): number => {
    let f = 0.9 * fbm2(fieldSeed, x * freq, y * freq * 1.3, 3);
    for (const b of blobs) {
      const d2 = ((x - b.x) / b.rx) ** 2 + ((y - b.y) / b.ry) ** 2;
      if (d2 < 12) f += b.g * Math.exp(-d2);
    }
    return f;
  };
  const trailingBand = r.range(0.008, 0.05);
  const leadingBand = r.range(0.02, 0.12);
  const centreDark = r.range(0.05, 0.2);

  for (let c = 0; c < W; c++) {
    const x = TEX_X0 + (c + 0.5) * sx;
    const { top, smooth, u } = trailingEdge(o, x);
    tops[c] = top;
    bots[c] = u <= 1 ? leadingEdge(o, smooth, u) : NaN;
    if (u <= 1) trailing[c] = top;
  }
  // The pigment field is smooth: evaluate it on a coarse grid and interpolate (the texture is
  // built once per individual, but 100k-photo sets have thousands of individuals).
  const G = 4;
  const gw = Math.ceil(W / G) + 2;
  const gh = Math.ceil(H / G) + 2;
  const raw = new Float32Array(gw * gh);
  for (let gr = 0; gr < gh; gr++) {
    for (let gc = 0; gc < gw; gc++) raw[gr * gw + gc] = field(TEX_X0 + gc * G * sx, TEX_Y1 - gr * G * sy);
  }
  // Grid column gc mirrors to W/G - gc (the texture is centred on x = 0).
  const grid = new Float32Array(gw * gh);
  const mirror = W / G;
  for (let gr = 0; gr < gh; gr++) {
    for (let gc = 0; gc < gw; gc++) {
      const m = mirror - gc;
      grid[gr * gw + gc] = (1 - symmetry) * raw[gr * gw + gc] + symmetry * (m >= 0 && m < gw ? raw[gr * gw + m] : raw[gr * gw + gc]);
    }
  }
  const fieldAt = (c: number, row: number): number => {
    const fc = c / G;
    const fr = row / G;
    const c0 = fc | 0;
    const r0 = fr | 0;
    const ax = fc - c0;
    const ay = fr - r0;
    const i = r0 * gw + c0;
    return grid[i] * (1 - ax) * (1 - ay) + grid[i + 1] * ax * (1 - ay) + grid[i + gw] * (1 - ax) * ay + grid[i + gw + 1] * ax * ay;
  };
  const bandWobble = new Float32Array(W);
  for (let c = 0; c < W; c++) bandWobble[c] = 1 + 0.6 * fbm2(fieldSeed + 2, (TEX_X0 + c * sx) * 20, 0, 1);
  const bot0 = bots[W >> 1];
  const top0 = tops[W >> 1];
  let values = new Float32Array(1 << 14);
  let nValues = 0;
  for (let row = 0; row < H; row++) {
    const y = TEX_Y1 - (row + 0.5) * sy;
    // The tail stock, seen from below where it meets the lobes: dark, widening toward the body.
    const ped = o.peduncle * (1 + 0.35 * Math.max(0, -y)) + (y < bot0 ? 0.1 * Math.exp((y - bot0) / 0.07) : 0.1);
    const pedRow = y < top0 - 0.05;
    for (let c = 0; c < W; c++) {
      const x = TEX_X0 + (c + 0.5) * sx;
      const i = row * W + c;
      const top = tops[c];
      const bot = bots[c];
      let cov = 0;
      if (!Number.isNaN(bot)) cov = clamp01((top - y) / sy + 0.5) * clamp01((y - bot) / sy + 0.5);
      const pedCov = pedRow ? clamp01((ped - Math.abs(x)) / sx + 0.5) : 0;
      if (pedCov > cov && (Number.isNaN(bot) || y < bot)) {
        cover[i] = pedCov;
        albedo[i] = 0.13 + 0.05 * grain(i);
        continue;
      }
      cover[i] = cov;
      if (cov <= 0) continue;
      const f = fieldAt(c, row);
      pattern[i] = f;
      if ((row & 1) === 0 && (c & 1) === 0 && cov > 0.99) {
        if (nValues === values.length) {
          const grown = new Float32Array(values.length * 2);
          grown.set(values);
          values = grown;
        }
        values[nValues++] = f;
      }
    }
  }
  // The threshold is the quantile that gives this individual its share of white.
  const thr = nValues ? quickselect(values.subarray(0, nValues), Math.min(nValues - 1, Math.floor((1 - whiteShare) * nValues))) : 0;
  const soft = 0.04;
  for (let row = 0; row < H; row++) {
    const y = TEX_Y1 - (row + 0.5) * sy;
    for (let c = 0; c < W; c++) {
      const i = row * W + c;
      const f = pattern[i];
      if (Number.isNaN(f)) continue;
      const x = TEX_X0 + (c + 0.5) * sx;
      let white = smooth01((f - thr) / soft);
      const dTop = tops[c] - y;
      const dBot = y - bots[c];
      const u = Math.abs(x);
      if (dTop < trailingBand * bandWobble[c]) white *= 0.1;
      if (dBot < leadingBand * (0.6 + 0.8 * u)) white *= smooth01((dBot / (leadingBand * (0.6 + 0.8 * u)) - 0.5) * 2);
      if (u < centreDark && y < tops[c] - 0.02) white *= u / centreDark;
      if (u > 0.93) white *= 0.4;
      albedo[i] = 0.06 + 0.86 * white + 0.03 * grain(i + fieldSeed);
    }
  }
  const inLobe = (x: number, y: number): boolean => {
    const c = Math.floor((x - TEX_X0) / sx);
    return c >= 0 && c < W && !Number.isNaN(bots[c]) && y < tops[c] - 0.01 && y > bots[c] + 0.01;
  };
  const dot = (cx: number, cy: number, rad: number, value: number, ring = false) =>
    stamp(albedo, cover, W, H, sx, sy, cx - rad - sx, cy - rad - sy, cx + rad + sx, cy + rad + sy, (x, y) => {
      const d = Math.hypot(x - cx, y - cy);
      return ring ? 1 - Math.abs(d - rad * 0.75) / (rad * 0.3) : (rad - d) / sx + 0.5;
    }, value);
  // Black spots on white, white barnacle scars (often rings) on black.
  const spots = r.int(0, 45);
  for (let k = 0; k < spots; k++) {
    const x = r.range(-0.95, 0.95);
    const y = r.range(-0.2, 0.6);
    if (!inLobe(x, y)) continue;
    dot(x, y, r.range(0.006, 0.022), 0.07);
  }
  const scarsRound = r.int(0, 18);
  for (let k = 0; k < scarsRound; k++) {
    const x = r.range(-0.95, 0.95);
    const y = r.range(-0.2, 0.6);
    if (!inLobe(x, y)) continue;
    dot(x, y, r.range(0.008, 0.02), 0.8, r.chance(0.6));
  }
  // Linear scars and killer-whale rake marks (parallel tooth lines): pale on any background.
  const line = (x0: number, y0: number, x1: number, y1: number, width: number, value: number) =>
    stamp(albedo, cover, W, H, sx, sy, Math.min(x0, x1) - width, Math.min(y0, y1) - width, Math.max(x0, x1) + width, Math.max(y0, y1) + width, (x, y) => (width - segDist(x, y, x0, y0, x1, y1)) / sx + 0.5, value);
  for (let k = r.int(0, 5); k > 0; k--) {
    let x = r.range(-0.9, 0.9);
    let y = r.range(-0.1, 0.5);
    let a = r.range(0, Math.PI * 2);
    const w = r.range(0.003, 0.009);
    for (let s = r.int(2, 5); s > 0; s--) {
      const len = r.range(0.04, 0.12);
      const nx = x + Math.cos(a) * len;
      const ny = y + Math.sin(a) * len * 0.6;
      line(x, y, nx, ny, w, 0.78);
      x = nx;
      y = ny;
      a += r.normal(0, 0.5);
    }
  }
  for (let k = r.int(0, 3); k > 0; k--) {
    const x = r.range(-0.85, 0.85);
    const y = r.range(-0.1, 0.45);
    const a = r.range(-0.9, 0.9) + (r.chance(0.5) ? Math.PI / 2 : 0);
    const len = r.range(0.08, 0.3);
    const gap = r.range(0.018, 0.035);
    const teeth = r.int(2, 4);
    const w = r.range(0.003, 0.007);
    for (let t = 0; t < teeth; t++) {
      const ox = -Math.sin(a) * gap * t;
      const oy = Math.cos(a) * gap * t;
      line(x + ox, y + oy, x + ox + Math.cos(a) * len, y + oy + Math.sin(a) * len, w, 0.82);
    }
  }
  const rowFirst = new Int16Array(H).fill(W);
  const rowLast = new Int16Array(H).fill(-1);
  for (let row = 0; row < H; row++) {
    for (let c = 0; c < W; c++) {
      if (cover[row * W + c] > 0) {
        if (rowFirst[row] === W) rowFirst[row] = c;
        rowLast[row] = c;
      }
    }
  }
  return { width: W, height: H, albedo, cover, trailing, rowFirst, rowLast };
}

/** Blends `value` into texels inside the animal where `coverage(x, y)` (antialiased) is positive. */
function stamp(
  albedo: Float32Array,
  cover: Float32Array,
  W: number,
  H: number,
  sx: number,
  sy: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  coverage: (x: number, y: number) => number,
  value: number,
): void {
  const c0 = Math.max(0, Math.floor((x0 - TEX_X0) / sx));
  const c1 = Math.min(W - 1, Math.ceil((x1 - TEX_X0) / sx));
  const r0 = Math.max(0, Math.floor((TEX_Y1 - y1) / sy));
  const r1 = Math.min(H - 1, Math.ceil((TEX_Y1 - y0) / sy));
  for (let row = r0; row <= r1; row++) {
    const y = TEX_Y1 - (row + 0.5) * sy;
    for (let c = c0; c <= c1; c++) {
      const i = row * W + c;
      if (cover[i] < 0.5 || albedo[i] < 0.02) continue;
      const a = clamp01(coverage(TEX_X0 + (c + 0.5) * sx, y));
      if (a > 0) albedo[i] += (value - albedo[i]) * a;
    }
  }
}

function segDist(px: number, py: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const t = clamp01(((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy || 1));
  return Math.hypot(px - x0 - t * dx, py - y0 - t * dy);
}

/** The k-th smallest value (reorders `a`): linear time, where sorting the texels was the slowest step. */
function quickselect(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Fine skin grain: cheap per-texel hash noise in [-1, 1]. */
const grain = (i: number): number => (mix32(i) / 4294967296) * 2 - 1;

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
const smooth01 = (v: number): number => {
  const t = clamp01(v * 0.5 + 0.5);
  return t * t * (3 - 2 * t);
};
