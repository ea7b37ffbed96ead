/**
 * Research script (issue 8): more augmented views per photo, and PCA-whitened head input, against the
 * default head (K = 4, 4 views), same protocols/seeds as bench/unseen-attempts.ts.
 * Needs a COPY of the embedded nyala-dev catalog with extra views (bench/extra-views.ts) and python3+numpy
 * (whitening is fitted in numpy here only to measure it; it would be folded into W if it helped).
 *   VARIANTS=base,v8,v12,wh0.1,wh1,v12e400   (vN: first N views; ttaN: trained on 4, test-time average of N views;
 *   preN: pretrained full feature averaged over N views; whA: 4 views, ZCA with eps = A * mean
 *   eigenvalue; a suffix eN trains N epochs instead of EPOCHS)
 * Run: CAUDAL_SHARED_DIR=/work/shared CAT=/tmp/t8v/nyala12.sqlite SEEDS=1,2,3 npx tsx bench/views-whiten-attempts.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Catalog } from '../electron/core/store/catalog';
import { backboneOf, loadFeatureSet } from '../electron/core/training/catalog-data';
import { viewRows, type FeatureSet } from '../electron/core/training/dataset';
import { l2NormalizeRows } from '../electron/core/training/vec';
import { ortGemm } from '../electron/core/training/gemm-ort';
import { LinearHead } from '../electron/core/training/head';
import { resolveOptions } from '../electron/core/training/options';
import { Rng } from '../electron/core/training/random';
import { DncTrainer, embedSamples } from '../electron/core/training/trainer';
import { outcomes } from '../electron/core/training/validate';
import { outcomePool, printPooled, protocolSplit, summarizeBoot } from './lib/training-protocols';

const SEEDS = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
const PROTOS = (process.env.PROTOS ?? 'unseen,resight').split(',');
const VARIANTS = (process.env.VARIANTS ?? 'base,v12').split(',');
const EPOCHS = Number(process.env.EPOCHS ?? 200);
const TAG = process.env.TAG ?? String(process.pid);

function clampViews(set: FeatureSet, v: number): FeatureSet {
  return { ...set, viewCount: set.viewCount.map((c) => Math.min(c, v)) };
}
/**
 * The whitened input as a feature set: rows = ZCA(standardise(l2norm(raw))), fitted on all views of the
 * training samples; the head then uses them as they are (prepare patched to identity). A linear map of
 * the default prepared input, so it folds into W, b.
 */
function whitened(set: FeatureSet, train: number[], alpha: number): FeatureSet {
  const h = LinearHead.init(set.dimIn, 8, 1, new Rng(1));
  const rowsTrain: number[] = [];
  for (const s of train) for (let v = 0; v < set.viewCount[s]; v++) rowsTrain.push(set.viewStart[s] + v);
  const nRows = set.features.length / set.dimIn;
  const sub = new Float32Array(train.length * set.dimIn);
  train.forEach((s, i) => sub.set(set.features.subarray(set.viewStart[s] * set.dimIn, (set.viewStart[s] + 1) * set.dimIn), i * set.dimIn));
  h.fitInput(sub, train.length, true);
  const X = h.prepare(set.features, nRows);
  const f = `/tmp/t8v/wh-${TAG}`;
  fs.writeFileSync(`${f}.x`, Buffer.from(X.buffer));
  fs.writeFileSync(`${f}.r`, Buffer.from(Int32Array.from(rowsTrain).buffer));
  execFileSync('python3', ['-c', `
import numpy as np
d=${set.dimIn}; X=np.fromfile('${f}.x',dtype=np.float32).reshape(-1,d).astype(np.float64)
r=np.fromfile('${f}.r',dtype=np.int32); T=X[r]; mu=T.mean(0); C=np.cov((T-mu).T)
lam,U=np.linalg.eigh(C); lam=np.maximum(lam,0); eps=${alpha}*lam.mean()
M=(U*(1/np.sqrt(lam+eps)))@U.T
Y=(X-mu)@M; Y/=np.sqrt((Y[r]**2).sum(1).mean())
Y.astype(np.float32).tofile('${f}.y')`]);
  const Y = new Float32Array(fs.readFileSync(`${f}.y`).buffer.slice(0));
  return { ...set, features: Y };
}

async function main() {
  const c = Catalog.open(process.env.CAT ?? '/tmp/t8v/nyala12.sqlite');
  const full = loadFeatureSet(c, backboneOf(c));
  c.close();
  const gemm = await ortGemm(1);
  const origPrepare = LinearHead.prototype.prepare;
  for (const proto of PROTOS) {
    const { pooled, add } = outcomePool();
    for (const seed of SEEDS) {
      const { train, evalSplit } = protocolSplit(proto, full, seed);
      for (const v of VARIANTS) {
        const t0 = performance.now();
        const wh = v.startsWith('wh');
        const [, name, ep] = /^(.*?)(?:e(\d+))?$/.exec(v)!;
        let set = clampViews(full, name.startsWith('v') ? Number(name.slice(1)) : 4);
        if (wh) set = whitened(set, train, Number(name.slice(2)));
        LinearHead.prototype.prepare = wh ? function (this: LinearHead, raw: Float32Array, n: number) { return raw.slice(0, n * this.dimIn); } : origPrepare;
        const o = resolveOptions({ learners: 4, epochs: ep ? Number(ep) : EPOCHS, seed, start: 'random' });
        if (name.startsWith('pre')) {
          // Pretrained full feature, averaged over views 0 (+1 where a usable mirror) and 2..N-1.
          const N = Number(name.slice(3)), all = Array.from({ length: full.ids.length }, (_, i) => i), D = full.dimIn;
          const acc = new Float32Array(all.length * D);
          for (let v = 0; v < N; v++) {
            const r = l2NormalizeRows(viewRows(full, all, v), all.length, D);
            for (let i = 0; i < all.length; i++) if (v !== 1 || full.mirror[i]) for (let j = 0; j < D; j++) acc[i * D + j] += r[i * D + j];
          }
          const out = outcomes(full, l2NormalizeRows(acc, all.length, D), D, evalSplit);
          add(v, out);
          continue;
        }
        const t = new DncTrainer(set, train, o, undefined, gemm);
        while (!t.done) await t.runEpoch();
        const all = Array.from({ length: set.ids.length }, (_, i) => i);
        const e = await embedSamples(t.head, set, all, true, gemm);
        if (name.startsWith('tta')) {
          // Test-time averaging over the first N stored views (mirror included where usable), trained on 4.
          const N = Number(name.slice(3));
          for (let v = 2; v < N; v++) {
            const ev = await t.head.embedWith(viewRows(full, all, v), all.length, gemm);
            for (let i = 0; i < e.length; i++) e[i] += ev[i] / 2;
          }
          l2NormalizeRows(e, all.length, o.dim);
        }
        const out = outcomes(set, e, o.dim, evalSplit);
        add(v, out);
        console.error(`${proto} seed ${seed} ${v}: rank-1 ${summarizeBoot(out, new Rng(0), 1).rank1.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      }
    }
    printPooled(`${proto} seeds ${SEEDS}`, pooled, 'base');
  }
  LinearHead.prototype.prepare = origPrepare;
  await gemm.dispose?.();
}
void main();
