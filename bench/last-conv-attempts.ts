/**
 * Research script (issue 8): instead of a head on pooled features, train the backbone's own last
 * 1x1 convolution (320 -> 1280 channels at each of the 7 x 7 positions, then its ReLU6 clip, then the
 * GeM pooling the shipped embedding uses), starting from the pretrained weights (dequantised from the
 * int8 model), K = 1 margin loss, Adam, no weight decay. Epoch 0 reproduces the shipped pretrained
 * ranking exactly. Its input, the 320-channel map '624' of every stored view, is extracted into a copy
 * of the benchmark catalog under a research backbone id (about 30 s for 1,205 photos x 4 views; 300 MB).
 *   SEEDS=1,2,3  EPOCHS=50  LR=3e-4  PROTOS=unseen,resight  CHECK=10,20 (extra evaluation epochs)
 * Run: CAT=<nyala-dev catalog built by training.bench.ts> npx tsx bench/last-conv-attempts.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { Catalog } from '../electron/core/store/catalog';
import { loadFeatureSet } from '../electron/core/training/catalog-data';
import type { FeatureSet } from '../electron/core/training/dataset';
import { ortGemm } from '../electron/core/training/gemm-ort';
import { marginLoss, sampleTriplets, defaultMargin } from '../electron/core/training/margin-loss';
import { Rng } from '../electron/core/training/random';
import { balancedBatch, poolsOf } from '../electron/core/training/sampler';
import { pickView } from '../electron/core/training/trainer';
import { outcomes } from '../electron/core/training/validate';
import { sharedDir } from '../electron/core/util/paths';
import { embedCatalog } from '../electron/core/vision/embed';
import { DEFAULT_BENCH_CATALOG, loadShipped } from './lib/shipped-reference';
import { outcomePool, printPooled, protocolSplit } from './lib/training-protocols';

const SEEDS = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
const EPOCHS = Number(process.env.EPOCHS ?? 50);
const LR = Number(process.env.LR ?? 3e-4);
const PROTOS = (process.env.PROTOS ?? 'unseen,resight').split(',');
const CHECK = (process.env.CHECK ?? '').split(',').filter(Boolean).map(Number);
const C = 320, O = 1280, P = 49;
const MAP_BACKBONE = 'mnv2-map624';
const ONNX = path.join(sharedDir() ?? '../shared', 'models', 'mobilenetv2-12-int8.onnx');

/** A copy of the benchmark catalog with every view's raw 624 map stored under MAP_BACKBONE. */
async function mapCatalog(source: string): Promise<string> {
  const dir = path.join(os.tmpdir(), 'caudal-last-conv');
  const file = path.join(dir, 'map.sqlite');
  if (fs.existsSync(`${file}.ready`)) return file;
  fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
  const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'models', 'mobilenetv2-12-int8.json'), 'utf8'));
  const manifest = {
    ...shipped,
    id: MAP_BACKBONE,
    name: 'research: the raw 320-channel map before the last convolution',
    features: [{ tensor: '624_quantized', dequantize: { scale: '624_scale', zeroPoint: '624_zero_point' }, channels: C * P, pooling: 'none' }],
    pooling: { gemP: 3, normalizeBlocks: false },
    embedding: { tensors: ['624_quantized'] },
  };
  fs.writeFileSync(path.join(dir, 'models', `${MAP_BACKBONE}.json`), JSON.stringify(manifest));
  fs.rmSync(path.join(dir, 'models', path.basename(ONNX)), { force: true });
  fs.symlinkSync(ONNX, path.join(dir, 'models', path.basename(ONNX)));
  fs.copyFileSync(source, file);
  const c = Catalog.open(file);
  const r = await embedCatalog(c, { backbone: MAP_BACKBONE, modelsDir: path.join(dir, 'models'), views: 4, device: 'cpu' });
  c.close();
  console.error(`maps of ${r.embedded} annotations in ${r.seconds} s`);
  fs.writeFileSync(`${file}.ready`, '');
  return file;
}

function weights() {
  const m = onnx.ModelProto.decode(fs.readFileSync(ONNX));
  const t = new Map(m.graph!.initializer!.map((x) => [x.name!, x]));
  const raw = (name: string) => t.get(name)!;
  const f32 = (x: onnx.ITensorProto) => (x.floatData?.length ? Float32Array.from(x.floatData) : new Float32Array(new Uint8Array(x.rawData!).slice().buffer));
  const q = raw('628_quantized'), qs = f32(raw('628_scale')), qz = raw('628_zero_point');
  const qd = new Int8Array(new Uint8Array(q.rawData!).slice().buffer);
  const zd = qz.int32Data!;
  const W = new Float32Array(O * C);
  for (let o = 0; o < O; o++) for (let c = 0; c < C; c++) W[o * C + c] = (qd[o * C + c] - zd[o]) * qs[o];
  const xs = f32(raw('624_scale'))[0];
  const bq = new Int32Array(new Uint8Array(raw('629_quantized').rawData!).slice().buffer);
  const b = new Float32Array(O);
  for (let o = 0; o < O; o++) b[o] = bq[o] * xs * qs[o];
  const ys = f32(raw('627_scale'))[0];
  const yz = raw('627_zero_point').int32Data![0];
  return { W, b, lo: (0 - yz) * ys, hi: (255 - yz) * ys };
}

class ConvHead {
  constructor(public W: Float32Array, public b: Float32Array, readonly lo: number, readonly hi: number) {}
}

/** Sample rows of the map set -> X [(n*49) x 320]. */
function gather(set: FeatureSet, rows: number[]): Float32Array {
  const X = new Float32Array(rows.length * P * C);
  rows.forEach((row, i) => {
    const f = set.features.subarray(row * set.dimIn, (row + 1) * set.dimIn);
    for (let c = 0; c < C; c++) for (let p = 0; p < P; p++) X[(i * P + p) * C + c] = f[c * P + p];
  });
  return X;
}

type G = Awaited<ReturnType<typeof ortGemm>>;

async function forward(h: ConvHead, X: Float32Array, n: number, gemm: G) {
  const Z = await gemm.xwT(X, n * P, C, h.W, 0, O);
  const M = new Float32Array(n * O);
  for (let r = 0; r < n * P; r++) {
    const i = Math.floor(r / P);
    for (let o = 0; o < O; o++) {
      let a = Z[r * O + o] + h.b[o];
      a = a < h.lo ? h.lo : a > h.hi ? h.hi : a;
      Z[r * O + o] = a; // keep the activation
      const am = a > 1e-6 ? a : 1e-6;
      M[i * O + o] += (am * am * am) / P;
    }
  }
  const Gm = M.map((v) => Math.cbrt(v));
  const e = new Float32Array(n * O);
  const norms = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let o = 0; o < O; o++) s += Gm[i * O + o] ** 2;
    norms[i] = Math.sqrt(s) || 1;
    for (let o = 0; o < O; o++) e[i * O + o] = Gm[i * O + o] / norms[i];
  }
  return { A: Z, M, Gm, e, norms };
}

async function embedAll(h: ConvHead, set: FeatureSet, gemm: G): Promise<Float32Array> {
  const n = set.ids.length;
  const out = new Float32Array(n * O);
  const B = 64;
  for (let s0 = 0; s0 < n; s0 += B) {
    const idx = Array.from({ length: Math.min(B, n - s0) }, (_, k) => s0 + k);
    const e0 = (await forward(h, gather(set, idx.map((s) => set.viewStart[s])), idx.length, gemm)).e;
    const mir = idx.filter((s) => set.mirror[s] && set.viewCount[s] > 1);
    const e1 = mir.length ? (await forward(h, gather(set, mir.map((s) => set.viewStart[s] + 1)), mir.length, gemm)).e : null;
    let k = 0;
    idx.forEach((s, i) => {
      const v = out.subarray(s * O, (s + 1) * O);
      for (let o = 0; o < O; o++) v[o] = e0[i * O + o];
      if (set.mirror[s] && set.viewCount[s] > 1 && e1) {
        for (let o = 0; o < O; o++) v[o] += e1[k * O + o];
        k++;
      }
      let q = 0;
      for (let o = 0; o < O; o++) q += v[o] * v[o];
      q = Math.sqrt(q) || 1;
      for (let o = 0; o < O; o++) v[o] /= q;
    });
  }
  return out;
}

async function main() {
  const file = await mapCatalog(process.env.CAT ?? DEFAULT_BENCH_CATALOG);
  const { set: pooled0, shipped } = loadShipped(file);
  const c = Catalog.open(file);
  const set = loadFeatureSet(c, MAP_BACKBONE);
  c.close();
  if (set.ids.some((id, i) => id !== pooled0.ids[i])) throw new Error('sample order differs');
  const w0 = weights();
  const gemm = await ortGemm(2);
  const all = set.ids.length;
  for (const proto of PROTOS) {
    const { pooled: res, add } = outcomePool();
    for (const seed of SEEDS) {
      const { train, evalSplit } = protocolSplit(proto, set, seed);
      add('pretrained', outcomes(set, shipped.emb, O, evalSplit));
      const h = new ConvHead(w0.W.slice(), w0.b.slice(), w0.lo, w0.hi);
      if (seed === SEEDS[0]) add('epoch 0', outcomes(set, await embedAll(h, set, gemm), O, evalSplit));
      const rng = new Rng(seed);
      const pools = poolsOf(train, set.label);
      const steps = Math.max(4, Math.ceil(train.length / 80));
      const mW = new Float32Array(O * C), vW = new Float32Array(O * C), mb = new Float32Array(O), vb = new Float32Array(O);
      let beta = 1.2, mB = 0, vB = 0;
      let t = 0;
      const t0 = performance.now();
      for (let ep = 1; ep <= EPOCHS; ep++) {
        let lossSum = 0;
        for (let s = 0; s < steps; s++) {
          const batch = balancedBatch(pools, rng, 20, 4);
          const n = batch.length;
          const rows = batch.map((b) => set.viewStart[b] + pickView(set, b, rng));
          const labels = Int32Array.from(batch.map((b) => set.label[b]));
          const X = gather(set, rows);
          const f = await forward(h, X, n, gemm);
          const tr = sampleTriplets(f.e, labels, n, O, rng, defaultMargin);
          const r = marginLoss(f.e, n, O, tr, beta, defaultMargin);
          lossSum += r.loss;
          // back through the normalisation and GeM
          const dM = new Float32Array(n * O);
          for (let i = 0; i < n; i++) {
            let dot = 0;
            for (let o = 0; o < O; o++) dot += f.e[i * O + o] * r.grad[i * O + o];
            for (let o = 0; o < O; o++) {
              const dG = (r.grad[i * O + o] - f.e[i * O + o] * dot) / f.norms[i];
              const m = f.M[i * O + o];
              dM[i * O + o] = m > 0 ? (dG * f.Gm[i * O + o]) / (3 * m) : 0;
            }
          }
          const dZ = new Float32Array(n * P * O);
          const db = new Float32Array(O);
          for (let rr = 0; rr < n * P; rr++) {
            const i = Math.floor(rr / P);
            for (let o = 0; o < O; o++) {
              const a = f.A[rr * O + o];
              if (a <= 1e-6 || a >= w0.hi) continue;
              const g = (dM[i * O + o] / P) * 3 * a * a;
              dZ[rr * O + o] = g;
              db[o] += g;
            }
          }
          const dW = await gemm.gTx(dZ, n * P, O, X, C);
          t++;
          const c1 = 1 / (1 - 0.9 ** t), c2 = 1 / (1 - 0.999 ** t);
          const adam = (p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array) => {
            for (let k = 0; k < p.length; k++) {
              m[k] = 0.9 * m[k] + 0.1 * g[k];
              v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k];
              p[k] -= (LR * m[k] * c1) / (Math.sqrt(v[k] * c2) + 1e-8);
            }
          };
          adam(h.W, dW, mW, vW);
          adam(h.b, db, mb, vb);
          mB = 0.9 * mB + 0.1 * r.gradBeta;
          vB = 0.999 * vB + 0.001 * r.gradBeta ** 2;
          beta -= (1e-3 * mB * c1) / (Math.sqrt(vB * c2) + 1e-8);
        }
        if (CHECK.includes(ep)) add(`epoch ${ep}`, outcomes(set, await embedAll(h, set, gemm), O, evalSplit));
        if (ep % 10 === 0) console.error(`${proto} seed ${seed} epoch ${ep} loss ${(lossSum / steps).toFixed(4)} ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
      add('trained', outcomes(set, await embedAll(h, set, gemm), O, evalSplit));
    }
    printPooled(`${proto} seeds ${SEEDS} conv head lr ${LR} epochs ${EPOCHS}`, res, 'pretrained');
  }
  await gemm.dispose?.();
}
void main();
