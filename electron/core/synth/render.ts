import { TEX_X0, TEX_X1, TEX_Y0, TEX_Y1, type FlukeTexture } from './individual';
import { fbm2 } from './noise';
import { rng } from './prng';
import type { Scene } from './scene';

/**
 * Draws one photo into a raw RGB buffer in plain TypeScript: sky, sea with waves in
 * perspective, the fluke texture under the scene's pose and light, foam where the tail stock
 * leaves the water, spray, haze and sensor noise. (Blur and JPEG encoding are sharp's, in
 * photo.ts.) Raw pixels beat SVG through librsvg here by a wide margin: see bench/synth.bench.ts.
 */
export function renderPhoto(tex: FlukeTexture, s: Scene, W: number, H: number): Uint8Array {
  const img = new Float32Array(W * H * 3);
  drawBackground(img, s, W, H);
  const seaRow = drawFluke(img, tex, s, W, H);
  drawSpray(img, tex, s, W, H);
  drawFoam(img, s, W, H, seaRow);
  return finish(img, s, W, H);
}

const SIN_N = 4096;
const SIN = new Float32Array(SIN_N);
for (let i = 0; i < SIN_N; i++) SIN[i] = Math.sin((i / SIN_N) * Math.PI * 2);
const SIN_K = SIN_N / (Math.PI * 2);
const sinT = (v: number): number => SIN[(v * SIN_K) & (SIN_N - 1)];

/** Gaussian sensor noise, drawn once; each photo reads it from its own offset. */
const NOISE_N = 1 << 16;
const NOISE = (() => {
  const r = rng(0x5eed);
  const n = new Float32Array(NOISE_N);
  for (let i = 0; i < NOISE_N; i++) n[i] = r.normal();
  return n;
})();

function drawBackground(img: Float32Array, s: Scene, W: number, H: number): void {
  const hz = s.horizon;
  const coastTop = new Float32Array(W);
  const waveRow = new Float32Array((W >> 1) + 2);
  if (s.coast) for (let x = 0; x < W; x++) coastTop[x] = hz - s.coast.height * (0.6 + 0.4 * fbm2(s.coast.seed, x / 40, 0, 3));
  for (let y = 0; y < H; y++) {
    const row = y * W * 3;
    if (y < hz) {
      const t = Math.pow(1 - Math.min(1, (hz - y) / (H * 0.9)), 1.6);
      const r0 = s.skyTop[0] + (s.skyLow[0] - s.skyTop[0]) * t;
      const g0 = s.skyTop[1] + (s.skyLow[1] - s.skyTop[1]) * t;
      const b0 = s.skyTop[2] + (s.skyLow[2] - s.skyTop[2]) * t;
      for (let x = 0; x < W; x++) {
        const i = row + x * 3;
        if (s.coast && y > coastTop[x]) {
          img[i] = s.coast.colour[0] * 0.7 + s.skyLow[0] * 0.3;
          img[i + 1] = s.coast.colour[1] * 0.7 + s.skyLow[1] * 0.3;
          img[i + 2] = s.coast.colour[2] * 0.7 + s.skyLow[2] * 0.3;
        } else {
          img[i] = r0;
          img[i + 1] = g0;
          img[i + 2] = b0;
        }
      }
      continue;
    }
    // Sea: waves of fixed world size, so they shrink and fade toward the horizon.
    const dz = y - hz + 1.5;
    const z = 400 / dz;
    const fade = Math.min(1, dz / (0.18 * H));
    const far = Math.exp(-dz / (0.3 * H));
    const r0 = s.sea[0] + (s.seaFar[0] - s.sea[0]) * far;
    const g0 = s.sea[1] + (s.seaFar[1] - s.sea[1]) * far;
    const b0 = s.sea[2] + (s.seaFar[2] - s.sea[2]) * far;
    const w0 = s.waves[0], w1 = s.waves[1], w2 = s.waves[2];
    const p0 = w0.kz * z * 0.05 + w0.p, p1 = w1.kz * z * 0.05 + w1.p, p2 = w2.kz * z * 0.05 + w2.p;
    // Waves are smooth across a row: evaluate every second column and interpolate.
    for (let x = 0; x <= W; x += 2) {
      const wx = ((x - W / 2) / dz) * 0.6;
      waveRow[x >> 1] = w0.a * sinT(w0.kx * wx + p0) + w1.a * sinT(w1.kx * wx + p1 + sinT(wx * 0.7 + p0)) + w2.a * sinT(w2.kx * wx - p2);
    }
    for (let x = 0; x < W; x++) {
      const wave = x & 1 ? 0.5 * (waveRow[x >> 1] + waveRow[(x >> 1) + 1]) : waveRow[x >> 1];
      let k = 1 + 0.45 * wave * fade;
      const i = row + x * 3;
      let g = 0;
      if (s.glint > 0 && wave > 0.45) g = s.glint * (wave - 0.45) * 1.6 * fade;
      if (k < 0.3) k = 0.3;
      img[i] = r0 * k + g;
      img[i + 1] = g0 * k + g;
      img[i + 2] = b0 * k + g;
    }
  }
}

/** Local fluke coordinates -> image pixel, for bounding boxes, spray (and tests that look back at the animal). */
export function forward(s: Scene, x: number, y: number): [number, number] {
  const half = s.span / 2;
  const g = 1 / (1 - s.keystone * x);
  const rx = x * g * half * Math.cos(s.yaw);
  const ry = -(y - CENTRE_Y) * g * half * s.pitch;
  const c = Math.cos(s.roll);
  const sn = Math.sin(s.roll);
  return [s.cx + rx * c - ry * sn, s.cy + rx * sn + ry * c];
}

/** The fluke's local y that sits at the image centre: the middle of the lobes. */
const CENTRE_Y = 0.15;

function drawFluke(img: Float32Array, tex: FlukeTexture, s: Scene, W: number, H: number): number {
  const corners = [forward(s, TEX_X0, TEX_Y0), forward(s, TEX_X1, TEX_Y0), forward(s, TEX_X0, TEX_Y1), forward(s, TEX_X1, TEX_Y1)];
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[0]))));
  const x1 = Math.min(W - 1, Math.ceil(Math.max(...corners.map((p) => p[0]))));
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[1]))));
  const y1 = Math.min(H - 1, Math.ceil(Math.max(...corners.map((p) => p[1]))));
  const seaRow = forward(s, 0, s.waterline)[1];
  const half = s.span / 2;
  const cosR = Math.cos(s.roll);
  const sinR = Math.sin(s.roll);
  const invX = 1 / (half * Math.cos(s.yaw));
  const invY = 1 / (half * s.pitch);
  const tw = tex.width;
  const th = tex.height;
  const toC = tw / (TEX_X1 - TEX_X0);
  const toR = th / (TEX_Y1 - TEX_Y0);
  const { albedo, cover, rowFirst, rowLast } = tex;
  const tx0 = TEX_X0;
  const ty1 = TEX_Y1;
  const dark = 1 - 0.75 * s.backlight;
  const lift = 0.08 * s.backlight;
  const sheenP = s.seed % 628 / 100;
  for (let Y = y0; Y <= y1; Y++) {
    if (Y > seaRow + 3) break;
    for (let X = x0; X <= x1; X++) {
      const below = Y - (seaRow + 1.5 * sinT(X * 0.15 + sheenP));
      if (below >= 1) continue;
      const dx = X - s.cx;
      const dy = Y - s.cy;
      const xs = (dx * cosR + dy * sinR) * invX;
      const ys = CENTRE_Y - (-dx * sinR + dy * cosR) * invY;
      const lx = xs / (1 + s.keystone * xs);
      const ly = CENTRE_Y + (ys - CENTRE_Y) * (1 - s.keystone * lx);
      const fc = (lx - tx0) * toC - 0.5;
      const fr = (ty1 - ly) * toR - 0.5;
      if (fc < 0 || fr < 0 || fc >= tw - 1 || fr >= th - 1) continue;
      const c = fc | 0;
      const r = fr | 0;
      // Most of the box is sea: skip texels whose rows hold no animal there.
      if (c + 1 < rowFirst[r] && c + 1 < rowFirst[r + 1]) continue;
      if (c > rowLast[r] && c > rowLast[r + 1]) continue;
      const ax = fc - c;
      const ay = fr - r;
      const i00 = r * tw + c;
      const w00 = (1 - ax) * (1 - ay), w10 = ax * (1 - ay), w01 = (1 - ax) * ay, w11 = ax * ay;
      let cov = cover[i00] * w00 + cover[i00 + 1] * w10 + cover[i00 + tw] * w01 + cover[i00 + tw + 1] * w11;
      if (cov <= 0.002) continue;
      if (below > 0) cov *= 1 - below;
      const a = albedo[i00] * w00 + albedo[i00 + 1] * w10 + albedo[i00 + tw] * w01 + albedo[i00 + tw + 1] * w11;
      // Skin: cool white and near-black, lit from one side, wet bands of sheen.
      const light = dark * (1 + s.sideLight * lx + 0.12 * ly);
      const sheen = s.sheen * Math.max(0, sinT(lx * 5 + ly * 3 + sheenP) * sinT(ly * 7 - lx * 2 + sheenP)) ** 2;
      const v = a * light + lift + sheen;
      const i = (Y * W + X) * 3;
      img[i] += (v * 0.94 - img[i]) * cov;
      img[i + 1] += (v * 0.97 - img[i + 1]) * cov;
      img[i + 2] += (v * 1.0 - img[i + 2]) * cov;
    }
  }
  return seaRow;
}

/** Water streaming off the trailing edge: pale streaks and droplets falling from it. */
function drawSpray(img: Float32Array, tex: FlukeTexture, s: Scene, W: number, H: number): void {
  if (s.spray <= 0) return;
  const r = rng(s.seed ^ 0x51a7);
  const n = Math.round(s.spray * 220);
  const sx = (TEX_X1 - TEX_X0) / tex.width;
  for (let k = 0; k < n; k++) {
    const c = r.int(0, tex.width - 1);
    const top = tex.trailing[c];
    if (Number.isNaN(top)) continue;
    const [X0, Y0] = forward(s, TEX_X0 + (c + 0.5) * sx, top - r.range(0, 0.03));
    const fall = r.range(0, 0.35) * s.span * r.next();
    const len = r.range(1, 10) * (0.5 + s.spray);
    const alpha = r.range(0.15, 0.6);
    const drift = r.normal(0, 2);
    const ys = Math.round(Y0 + fall);
    for (let t = 0; t < len; t++) {
      const Y = ys + t;
      const X = Math.round(X0 + drift * (t / len));
      if (X < 0 || X >= W || Y < 0 || Y >= H) continue;
      const i = (Y * W + X) * 3;
      const a = alpha * (1 - t / len);
      img[i] += (0.92 - img[i]) * a;
      img[i + 1] += (0.95 - img[i + 1]) * a;
      img[i + 2] += (0.97 - img[i + 2]) * a;
    }
  }
}

/** White water around the tail stock at the surface. */
function drawFoam(img: Float32Array, s: Scene, W: number, H: number, seaRow: number): void {
  const [px] = forward(s, 0, s.waterline);
  const fw = s.span * (0.12 + 0.15 * s.foam);
  const fh = 4 + 8 * s.foam;
  const y0 = Math.max(0, Math.floor(seaRow - fh * 0.6));
  const y1 = Math.min(H - 1, Math.ceil(seaRow + fh));
  const x0 = Math.max(0, Math.floor(px - fw));
  const x1 = Math.min(W - 1, Math.ceil(px + fw));
  for (let Y = y0; Y <= y1; Y++) {
    for (let X = x0; X <= x1; X++) {
      const e = ((X - px) / fw) ** 2 + ((Y - seaRow - fh * 0.2) / fh) ** 2;
      if (e >= 1) continue;
      const n = fbm2(s.seed, X / 5, Y / 3, 2);
      const a = Math.max(0, (1 - e) * s.foam * (0.4 + n) * 1.4);
      if (a <= 0) continue;
      const i = (Y * W + X) * 3;
      const k = Math.min(1, a);
      img[i] += (0.9 - img[i]) * k;
      img[i + 1] += (0.93 - img[i + 1]) * k;
      img[i + 2] += (0.95 - img[i + 2]) * k;
    }
  }
}

function finish(img: Float32Array, s: Scene, W: number, H: number): Uint8Array {
  // Exposure, white balance, contrast and haze fold into one gain and offset per channel.
  const out = new Uint8ClampedArray(W * H * 3);
  const h = s.haze;
  const gain = [0, 1, 2].map((k) => s.tint[k] * s.exposure * s.contrast * (1 - h) * 255);
  const offset = [0, 1, 2].map((k) => ((0.5 - 0.5 * s.contrast) * (1 - h) + s.skyLow[k] * h) * 255);
  const g0 = gain[0], g1 = gain[1], g2 = gain[2];
  const o0 = offset[0], o1 = offset[1], o2 = offset[2];
  const nAmp = s.noise;
  let ni = s.seed & (NOISE_N - 1);
  for (let i = 0; i < W * H * 3; i += 3) {
    ni = (ni + 7919) & (NOISE_N - 1);
    const n = NOISE[ni] * nAmp;
    out[i] = img[i] * g0 + o0 + n;
    out[i + 1] = img[i + 1] * g1 + o1 + n;
    out[i + 2] = img[i + 2] * g2 + o2 + n;
  }
  return new Uint8Array(out.buffer);
}
