/**
 * Attempts to lift the fine-tuned head on UNSEEN individuals (issue 8), same protocols and seeds as
 * training.bench.ts, K = 4. None is the default: see bench/README.md for the measured numbers.
 * Not a `.bench.ts` (a research script: several minutes). Environment knobs:
 *   SEEDS=1,2,3  PROTOS=unseen,resight  EPOCHS=200  EVERY=0 (25: held-out curve of the first head; 0 = none)
 *   ENS=3       heads with different seeds, concatenated (foldable into one sliced-linear head, dim 128*ENS)
 *   INPUT=1152:1280  restrict the head's input to some feature dimensions (last layer only here)
 *   PCA=1       initialise W as the top principal directions of the prepared training inputs
 *   TOINIT=1    with PCA: weight decay pulls W toward its initial value, strength OPTS.weightDecay
 *   OPTS='{...}' any TrainOptions override. "ens+cat1": ensemble concatenated with the pretrained last layer.
 * Run: CAUDAL_SHARED_DIR=/work/shared CAT=<nyala-dev catalog, imported + embedded> npx tsx bench/unseen-attempts.ts
 */
import { Catalog } from '../electron/core/store/catalog';
import { backboneOf, loadFeatureSet } from '../electron/core/training/catalog-data';
import type { FeatureSet } from '../electron/core/training/dataset';
import { viewRows } from '../electron/core/training/dataset';
import { ortGemm } from '../electron/core/training/gemm-ort';
import { resolveOptions } from '../electron/core/training/options';
import { Rng } from '../electron/core/training/random';
import { DncTrainer, embedSamples } from '../electron/core/training/trainer';
import { outcomes } from '../electron/core/training/validate';
import { outcomePool, printPooled, protocolSplit } from './lib/training-protocols';
import { gram, l2NormalizeRows } from '../electron/core/training/vec';
import { Adam } from '../electron/core/training/adam';
import type { LinearHead } from '../electron/core/training/head';

const SEEDS = (process.env.SEEDS ?? '1,2').split(',').map(Number);
const EPOCHS = Number(process.env.EPOCHS ?? 200);
const EVERY = Number(process.env.EVERY ?? 0);
const OPTS = JSON.parse(process.env.OPTS ?? '{}');
const PROTOS = (process.env.PROTOS ?? 'unseen,resight').split(',');
const ALPHAS = [0, 0.5, 0.75, 1, 1.5];

function lastLayer(set: FeatureSet, lastOff: number): Float32Array {
  const n = set.ids.length, off = lastOff, L = 1280;
  const all = Array.from({ length: n }, (_, i) => i);
  const out = new Float32Array(n * L);
  for (const v of [0, 1]) {
    const r = viewRows(set, all, v);
    for (let i = 0; i < n; i++) for (let j = 0; j < L; j++) out[i * L + j] += r[i * set.dimIn + off + j];
  }
  return l2NormalizeRows(out, n, L);
}
function concat(e: Float32Array, d: number, p: Float32Array, L: number, n: number, a: number) {
  const D = d + L, out = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    out.set(e.subarray(i * d, (i + 1) * d), i * D);
    for (let j = 0; j < L; j++) out[i * D + d + j] = a * p[i * L + j];
  }
  return { emb: l2NormalizeRows(out, n, D), dim: D };
}
let anchor: Float32Array | null = null;
// TOINIT: weight decay pulls W toward its (PCA) initial value instead of toward zero.
const origStep = Adam.prototype.step;
Adam.prototype.step = function (p, g, start, end, t, decay = true, gOffset = 0) {
  if (!(anchor && decay && p.length === anchor.length)) return origStep.call(this, p, g, start, end, t, decay, gOffset);
  const { m, v, beta1, beta2, eps, lr } = this;
  const wd = this.weightDecay, c1 = 1 / (1 - beta1 ** t), c2 = 1 / (1 - beta2 ** t);
  for (let i = start; i < end; i++) {
    const gi = g[i - gOffset] + wd * (p[i] - anchor[i]);
    m[i] = beta1 * m[i] + (1 - beta1) * gi;
    v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
    p[i] -= (lr * (m[i] * c1)) / (Math.sqrt(v[i] * c2) + eps);
  }
};

/** W rows = top principal directions of the prepared training inputs (view 0); b = 0. */
function pcaInit(head: LinearHead, set: FeatureSet, train: number[]) {
  const D = set.dimIn, m = train.length, k = head.dim;
  const X = head.prepare(viewRows(set, train, 0), m);
  const G = gram(X, m, D);
  const rng = new Rng(5);
  let V = new Float64Array(m * k).map(() => rng.normal());
  for (let it = 0; it < 25; it++) {
    const U = new Float64Array(m * k);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) { const gij = G[i * m + j]; if (!gij) continue; for (let c = 0; c < k; c++) U[i * k + c] += gij * V[j * k + c]; }
    // Gram-Schmidt on columns
    for (let c = 0; c < k; c++) {
      for (let c2 = 0; c2 < c; c2++) { let d = 0; for (let i = 0; i < m; i++) d += U[i * k + c] * U[i * k + c2]; for (let i = 0; i < m; i++) U[i * k + c] -= d * U[i * k + c2]; }
      let nn = 0; for (let i = 0; i < m; i++) nn += U[i * k + c] ** 2; nn = Math.sqrt(nn) || 1; for (let i = 0; i < m; i++) U[i * k + c] /= nn;
    }
    V = U;
  }
  for (let c = 0; c < k; c++) {
    const row = new Float64Array(D);
    for (let i = 0; i < m; i++) { const u = V[i * k + c]; if (!u) continue; for (let j = 0; j < D; j++) row[j] += u * X[i * D + j]; }
    let nn = 0; for (let j = 0; j < D; j++) nn += row[j] ** 2; nn = Math.sqrt(nn) || 1;
    for (let j = 0; j < D; j++) head.W[c * D + j] = row[j] / nn;
  }
  head.b.fill(0);
}

async function main() {
  const c = Catalog.open(process.env.CAT ?? '/tmp/t8u/nyala.sqlite');
  const set0 = loadFeatureSet(c, backboneOf(c));
  // INPUT=off:len restricts the head's input to those feature dimensions.
  const [io, il] = (process.env.INPUT ?? `0:${set0.dimIn}`).split(':').map(Number);
  const rowsN = set0.features.length / set0.dimIn;
  const feats = new Float32Array(rowsN * il);
  for (let r = 0; r < rowsN; r++) feats.set(set0.features.subarray(r * set0.dimIn + io, r * set0.dimIn + io + il), r * il);
  const set = { ...set0, dimIn: il, features: feats };
  const lastOff = 1152 - io;
  c.close();
  const n = set.ids.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const gemm = await ortGemm(1);
  const P = lastLayer(set, lastOff);
  const v1 = viewRows(set, all, 1);
  const full = l2NormalizeRows(viewRows(set, all, 0).map((v, i) => v + v1[i]), n, set.dimIn);
  for (const proto of PROTOS) {
    const { pooled, add } = outcomePool();
    for (const seed of SEEDS) {
      const { train, evalSplit } = protocolSplit(proto, set, seed);
      add('pre-last', outcomes(set, P, 1280, evalSplit));
      add('pre-full', outcomes(set, full, set.dimIn, evalSplit));
      const H = Number(process.env.ENS ?? 3);
      const embs: Float32Array[] = [];
      const t0 = performance.now();
      for (let h = 0; h < H; h++) {
        const o = resolveOptions({ learners: 4, epochs: EPOCHS, seed: seed + 1000 * h, start: 'random', ...OPTS });
        const t = new DncTrainer(set, train, o, undefined, gemm);
        if (process.env.PCA) {
          pcaInit(t.head, set, train);
          if (process.env.TOINIT) anchor = Float32Array.from(t.head.W);
          const e0 = await embedSamples(t.head, set, all, true, gemm);
          add(`pca-ep0`, outcomes(set, e0, o.dim, evalSplit));
        }
        while (!t.done) {
          await t.runEpoch();
          // The held-out curve of the first head: would stopping early (fewer epochs) help?
          if (EVERY > 0 && h === 0 && t.epoch % EVERY === 0 && !t.done) add(`ep${String(t.epoch).padStart(3)}`, outcomes(set, await embedSamples(t.head, set, all, true, gemm), o.dim, evalSplit));
        }
        anchor = null;
        const e = await embedSamples(t.head, set, all, true, gemm);
        embs.push(e);
        add(`head${h}`, outcomes(set, e, o.dim, evalSplit));
        // Ensemble of the first h+1 heads: concatenation of unit vectors, renormalised.
        const d = o.dim, D = d * embs.length, cat = new Float32Array(n * D);
        for (let i = 0; i < n; i++) embs.forEach((x, k) => cat.set(x.subarray(i * d, (i + 1) * d), i * D + k * d));
        l2NormalizeRows(cat, n, D);
        add(`ens${h + 1}`, outcomes(set, cat, D, evalSplit));
        if (h === H - 1) { const cc = concat(cat, D, P, 1280, n, 1); add('ens+cat1', outcomes(set, cc.emb, cc.dim, evalSplit)); }
      }
      console.error(`${proto} seed ${seed} trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    printPooled(`${proto} seeds ${SEEDS} opts ${JSON.stringify(OPTS)}`, pooled, 'head0', (k) => k.startsWith('ens'));
  }
  await gemm.dispose?.();
}
void main();
