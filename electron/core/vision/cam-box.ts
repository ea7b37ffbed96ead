import type { Box } from './preprocess';

/** A box proposed for a full frame, in displayed pixels, with how clearly it stands out (0..1). */
export interface ProposedBox extends Box {
  score: number;
}

/**
 * The class-activation maps [K, h, w] of one image folded into one map: each class's map
 * weighted by its softmax share of the pooled scores, so the class the network believes in
 * draws the map while a close second still counts.
 */
export function combineCams(cams: Float32Array, k: number, h: number, w: number): Float32Array {
  const hw = h * w;
  const pooled = Array.from({ length: k }, (_, c) => {
    let s = 0;
    for (let i = 0; i < hw; i++) s += cams[c * hw + i];
    return s / hw;
  });
  const top = Math.max(...pooled);
  const e = pooled.map((p) => Math.exp(p - top));
  const z = e.reduce((a, b) => a + b, 0);
  const out = new Float32Array(hw);
  for (let c = 0; c < k; c++) {
    const wc = e[c] / z;
    if (wc < 1e-4) continue;
    for (let i = 0; i < hw; i++) out[i] += wc * cams[c * hw + i];
  }
  return out;
}

/** Bilinear upsampling by `f` (pixel centres aligned), so a threshold cuts between cells, not along them. */
function upsample(map: Float32Array, h: number, w: number, f: number): Float32Array {
  const H = h * f;
  const W = w * f;
  const out = new Float32Array(H * W);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(h - 1, Math.max(0, (y + 0.5) / f - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(h - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < W; x++) {
      const sx = Math.min(w - 1, Math.max(0, (x + 0.5) / f - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(w - 1, x0 + 1);
      const fx = sx - x0;
      const top = map[y0 * w + x0] * (1 - fx) + map[y0 * w + x1] * fx;
      const bot = map[y1 * w + x0] * (1 - fx) + map[y1 * w + x1] * fx;
      out[y * W + x] = top * (1 - fy) + bot * fy;
    }
  }
  return out;
}

const UPSAMPLE = 4;

/**
 * The box around the strongest region of an activation map [h, w] over a `width` x `height`
 * frame: the map scaled to 0..1, cut at `threshold`, and the 4-connected region holding the
 * most activation kept (one animal, not every bright patch). Score: the region's mean minus
 * the rest's mean, so a flat map (nothing stands out) scores near 0. Null for a constant map.
 */
export function boxFromMap(map: Float32Array, h: number, w: number, width: number, height: number, threshold: number): ProposedBox | null {
  const H = h * UPSAMPLE;
  const W = w * UPSAMPLE;
  const m = upsample(map, h, w, UPSAMPLE);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of m) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi - lo > 1e-9)) return null;
  for (let i = 0; i < m.length; i++) m[i] = (m[i] - lo) / (hi - lo);
  const label = new Int32Array(m.length).fill(-1);
  let best = { mass: -1, x0: 0, y0: 0, x1: 0, y1: 0, id: -1 };
  const stack: number[] = [];
  let next = 0;
  for (let s = 0; s < m.length; s++) {
    if (m[s] < threshold || label[s] >= 0) continue;
    const id = next++;
    let mass = 0;
    let [x0, y0, x1, y1] = [W, H, -1, -1];
    label[s] = id;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % W;
      const y = (i - x) / W;
      mass += m[i];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (const j of [x > 0 ? i - 1 : -1, x < W - 1 ? i + 1 : -1, y > 0 ? i - W : -1, y < H - 1 ? i + W : -1]) {
        if (j >= 0 && label[j] < 0 && m[j] >= threshold) {
          label[j] = id;
          stack.push(j);
        }
      }
    }
    if (mass > best.mass) best = { mass, x0, y0, x1, y1, id };
  }
  let inSum = 0;
  let inN = 0;
  let outSum = 0;
  for (let i = 0; i < m.length; i++) {
    if (label[i] === best.id) {
      inSum += m[i];
      inN++;
    } else outSum += m[i];
  }
  const outN = m.length - inN;
  const score = inSum / inN - (outN ? outSum / outN : 0);
  const sx = width / W;
  const sy = height / H;
  const x = best.x0 * sx;
  const y = best.y0 * sy;
  return { x, y, w: Math.min(width, (best.x1 + 1) * sx) - x, h: Math.min(height, (best.y1 + 1) * sy) - y, score: Math.max(0, Math.min(1, score)) };
}
