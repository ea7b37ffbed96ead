/**
 * Research script (issue 15): what training buys, by 5-fold cross-validation over individuals on
 * nyala-dev (bench/lib/cv-training.ts: the product's folds, a new deal per seed), paired against the
 * pretrained model as it ships. Rows: one head (the `caudal train` default recipe), ensembles of
 * heads from different seeds (concatenated, or their weights averaged), and test-time averaging of
 * the head's embedding over the stored views.
 *   SEEDS=1,2,3  MEMBERS=3  EPOCHS=100  K=2 (the product's default)  FOLDS=5
 *   WHITEN=1  rows whitened (PCA, m 256, s 0.6) by a fit on each run's training photos
 *   OUT=/tmp/15b/cv.json   pooled outcomes, so a report can be reprinted (REPORT=1 only prints; REF=row pairs against another row)
 * Run: CAT=<nyala-dev catalog after caudal import + embed> npx tsx bench/trained-cv.ts
 */
import fs from 'node:fs';
import { DEFAULT_LEARNERS } from '../electron/contract';
import type { FeatureSet } from '../electron/core/training/dataset';
import { viewRows } from '../electron/core/training/dataset';
import { ortGemm } from '../electron/core/training/gemm-ort';
import { LinearHead } from '../electron/core/training/head';
import type { ProtocolOutcomes } from '../electron/core/training/interval';
import { resolveOptions } from '../electron/core/training/options';
import { pretrainedStart } from '../electron/core/training/train-job';
import { DncTrainer, embedSamples } from '../electron/core/training/trainer';
import { l2NormalizeRows } from '../electron/core/training/vec';
import { applyWhitening, fitWhitening } from '../electron/core/search/whitening';
import { headFor, selectRanges } from '../electron/core/vision/heads';
import { loadShipped } from './lib/shipped-reference';
import { concatUnit, cvFolds, cvPool, foldOutcomes, printCv } from './lib/cv-training';

const SEEDS = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
const MEMBERS = Number(process.env.MEMBERS ?? 3);
const EPOCHS = Number(process.env.EPOCHS ?? 100);
const K = Number(process.env.K ?? DEFAULT_LEARNERS);
const FOLDS = Number(process.env.FOLDS ?? 5);
const OUT = process.env.OUT ?? '/tmp/15b/cv.json';
// WHITEN=1: also rows whitened by a fit on each run's training photos (electron/core/search/whitening.ts).
const WHITEN = process.env.WHITEN === '1';

async function main() {
  const pool = cvPool();
  if (process.env.REPORT === '1') {
    for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(OUT, 'utf8')) as Record<string, ProtocolOutcomes>)) pool.add(k, v);
    printCv(`nyala-dev, ${FOLDS}-fold CV over individuals (from ${OUT})`, pool.rows, process.env.REF ?? 'shipped');
    return;
  }
  const { set: full, backbone, shipped, stored } = loadShipped();
  if (!stored) console.error('no stored embeddings for every sample: the current default (test views) row is left out (run caudal embed on CAT)');
  const { set, inputRanges } = pretrainedStart(full, backbone, resolveOptions({ learners: K, start: 'pretrained' }));
  const all = Array.from({ length: set.ids.length }, (_, i) => i);
  const maxViews = Math.max(...set.viewCount);
  const views = Array.from({ length: maxViews }, (_, v) => v);
  // The pretrained model with the same test-time averaging over stored views, for a like-with-like row.
  const pretrainedViews = averageViews(set, views, (v) => Promise.resolve(headFor({ ...backbone, params: JSON.stringify({}) })(selectRanges(viewRows(full, all, v), all.length, full.dimIn, inputRanges!), all.length, set.dimIn).vectors), set.dimIn);
  const gemm = await ortGemm(2);
  const t0 = performance.now();
  for (const f of cvFolds(set, SEEDS, FOLDS)) {
    const tf = performance.now();
    pool.add('shipped', foldOutcomes(set, f, shipped.emb, shipped.dim));
    if (stored) pool.add('current default (test views)', foldOutcomes(set, f, stored.emb, stored.dim));
    pool.add('pretrained, views averaged', foldOutcomes(set, f, await pretrainedViews, set.dimIn));
    const heads: LinearHead[] = [];
    for (let m = 0; m < MEMBERS; m++) {
      const o = { ...resolveOptions({ learners: K, epochs: EPOCHS, seed: f.seed * 100 + m, start: 'pretrained' }), dim: set.dimIn };
      const t = new DncTrainer(set, f.split.train, o, undefined, gemm);
      while (!t.done) await t.runEpoch();
      heads.push(t.head);
    }
    const one = await embedSamples(heads[0], set, all, true, gemm);
    pool.add('one head', foldOutcomes(set, f, one, set.dimIn));
    const oneViews = await averageViews(set, views, (v) => heads[0].embedWith(viewRows(set, all, v), all.length, gemm), set.dimIn);
    pool.add('one head, views averaged', foldOutcomes(set, f, oneViews, set.dimIn));
    if (WHITEN) {
      // PCA whitening fitted without labels on the photos the run trains on (its catalog), then applied to
      // every photo: a model fitted once and used on other animals (unseen) and on its own (re-sighting).
      const whiten = (emb: Float32Array, dim: number) => applyWhitening(fitWhitening(emb, dim, f.split.train), emb, all.length, 256, 0.6);
      if (stored) {
        const w = whiten(stored.emb, stored.dim);
        pool.add('current default, whitened on the training photos', foldOutcomes(set, f, w.vectors, w.dim));
      }
      const w1 = whiten(one, set.dimIn);
      pool.add('one head, whitened on the training photos', foldOutcomes(set, f, w1.vectors, w1.dim));
      const w2 = whiten(oneViews, set.dimIn);
      pool.add('one head, views averaged, whitened on the training photos', foldOutcomes(set, f, w2.vectors, w2.dim));
    }
    if (MEMBERS > 1) {
      const parts = await Promise.all(heads.map((h) => embedSamples(h, set, all, true, gemm)));
      pool.add(`${MEMBERS} heads concatenated`, foldOutcomes(set, f, concatUnit(parts, all.length, set.dimIn), set.dimIn * MEMBERS));
      const soup = averageWeights(heads);
      pool.add(`${MEMBERS} heads, weights averaged`, foldOutcomes(set, f, await embedSamples(soup, set, all, true, gemm), set.dimIn));
      const tta = await Promise.all(heads.map((h) => averageViews(set, views, (v) => h.embedWith(viewRows(set, all, v), all.length, gemm), set.dimIn)));
      pool.add(`${MEMBERS} heads concatenated, views averaged`, foldOutcomes(set, f, concatUnit(tta, all.length, set.dimIn), set.dimIn * MEMBERS));
    }
    console.error(`seed ${f.seed} fold ${f.fold}: ${((performance.now() - tf) / 1000).toFixed(0)} s (total ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    fs.writeFileSync(OUT, JSON.stringify(Object.fromEntries(pool.rows)));
  }
  for (const ref of ['shipped', 'one head', ...(stored ? ['current default (test views)'] : [])]) printCv(`nyala-dev, ${FOLDS}-fold CV over individuals, seeds ${SEEDS}, K = ${K}, ${EPOCHS} epochs, ${MEMBERS} members`, pool.rows, ref);
  await gemm.dispose?.();
}

/** Mean of unit embeddings over the stored views (the mirror view only where the body part allows it), renormalised. */
async function averageViews(set: FeatureSet, views: number[], embedView: (v: number) => Promise<Float32Array>, dim: number): Promise<Float32Array> {
  const n = set.ids.length;
  const sum = new Float32Array(n * dim);
  for (const v of views) {
    const e = l2NormalizeRows(await embedView(v), n, dim);
    for (let i = 0; i < n; i++) {
      if (v >= set.viewCount[i] || (v === 1 && !set.mirror[i])) continue;
      for (let j = 0; j < dim; j++) sum[i * dim + j] += e[i * dim + j];
    }
  }
  return l2NormalizeRows(sum, n, dim);
}

/** One head whose weights are the members' mean (same start, same input scaling: a 'model soup'). */
function averageWeights(heads: LinearHead[]): LinearHead {
  const h0 = heads[0];
  const W = new Float32Array(h0.W.length);
  const b = new Float32Array(h0.b.length);
  for (const h of heads) {
    for (let i = 0; i < W.length; i++) W[i] += h.W[i] / heads.length;
    for (let i = 0; i < b.length; i++) b[i] += h.b[i] / heads.length;
  }
  return new LinearHead(h0.dimIn, h0.dim, h0.slices, W, b, h0.mu, h0.scale);
}

void main();
