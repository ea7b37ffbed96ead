/**
 * Fine-tuning on nyala-dev (issue 8), measured in one run on this machine:
 *   protocols  unseen (30% of individuals held out, trained on all photos of the rest) and
 *              re-sighting (per individual and side with >= 2 sightings, the later half are queries;
 *              training sees only the earlier ones), pretrained vs K = 1 vs K = 2 (default) vs K = 4, several seeds;
 *              rank-1, MAP@5, top-5 with 95% bootstrap intervals over individuals; paired bootstrap
 *              of K = 4 minus K = 1.
 *   speed      time per epoch as the number of photos grows; the training step through onnxruntime
 *              vs TypeScript; a full `caudal train` run (validation + final) on all 1,205 photos.
 * The catalog is built once with the real import and embed commands (cached in the temp folder).
 * Run: npx tsx bench/training.bench.ts [seeds=3] [epochs=200]   (CAUDAL_SHARED_DIR=/work/shared)
 */
import os from 'node:os';
import { Catalog } from '../electron/core/store/catalog';
import { loadFeatureSet } from '../electron/core/training/catalog-data';
import { backboneOf } from '../electron/core/vision/models-table';
import { tsGemm, type Gemm } from '../electron/core/training/gemm';
import { ortGemm } from '../electron/core/training/gemm-ort';
import { resolveOptions } from '../electron/core/training/options';
import { Rng } from '../electron/core/training/random';
import type { QueryOutcome } from '../electron/core/training/retrieval';
import type { Estimate } from '../electron/contract';
import { crossValidatedEstimate, pretrainedOutcomes } from '../electron/core/training/estimate';
import { runTraining } from '../electron/core/training/run-training';
import { DncTrainer } from '../electron/core/training/trainer';
import { embedAll, embedModelRow, outcomes } from '../electron/core/training/validate';
import { getModelRow } from '../electron/core/training/model-store';
import { pretrainedStart } from '../electron/core/training/train-job';
import { datasetCatalog } from './lib/dataset-catalog';
import { pairedDiff, resightSplit, summarizeBoot, unseenSplit } from './lib/training-protocols';

const SEEDS = Number(process.argv[2] ?? 3);
const EPOCHS = Number(process.argv[3] ?? 200);

const f3 = (x: number) => x.toFixed(3);

async function main() {
  const file = await datasetCatalog('nyala-dev', 'flank'); // flanks read the same mirrored: flip-averaged
  const catalog = Catalog.open(file);
  const set = loadFeatureSet(catalog, backboneOf(catalog));
  // The pretrained model as the app ships and searches with it (its own head: the final layer's block).
  const backboneRow = getModelRow(catalog, backboneOf(catalog));
  const shipped = embedModelRow(set, backboneRow);
  catalog.close();
  // Timings mean little on a shared machine: say how busy it was.
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  console.log(`nyala-dev: ${set.ids.length} photos, ${new Set(set.label).size} individuals, ${set.dimIn}-d features, ${Math.max(...set.viewCount)} views`);
  const gemm = await ortGemm(1);

  const results: Record<string, Record<string, QueryOutcome[]>> = {};
  for (const [proto, splitFn] of [
    ['unseen', unseenSplit],
    ['resight', resightSplit],
  ] as const) {
    const pooled: Record<string, QueryOutcome[]> = { pretrained: [], 'whole feature': [], 'K=1': [], 'K=4': [], 'K=1 warm': [], 'K=2 warm': [], 'K=4 warm': [] };
    const times: Record<string, number[]> = { 'K=1': [], 'K=4': [], 'K=1 warm': [], 'K=2 warm': [], 'K=4 warm': [] };
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { train, evalSplit } = splitFn(set, seed);
      pooled.pretrained.push(...outcomes(set, shipped.emb, shipped.dim, evalSplit));
      // The whole stored feature (all five layers) without a head: what the head is trained on.
      const pre = await embedAll(set, null, true);
      pooled['whole feature'].push(...outcomes(set, pre.emb, pre.dim, evalSplit));
      for (const k of [1, 2, 4]) {
        if (k !== 2) {
          const o = resolveOptions({ learners: k, epochs: EPOCHS, seed, start: 'random' });
          const t0 = performance.now();
          const t = new DncTrainer(set, train, o, undefined, gemm);
          while (!t.done) await t.runEpoch();
          times[`K=${k}`].push((performance.now() - t0) / 1000);
          const e = await embedAll(set, t.head, true, gemm);
          pooled[`K=${k}`].push(...outcomes(set, e.emb, e.dim, evalSplit));
        }
        // Started from the pretrained model (caudal train --start pretrained): its blocks, its width.
        const wo = resolveOptions({ learners: k, seed, start: 'pretrained' });
        const warm = pretrainedStart(set, backboneRow, wo);
        const w0 = performance.now();
        const tw = new DncTrainer(warm.set, train, { ...wo, dim: warm.set.dimIn }, undefined, gemm);
        while (!tw.done) await tw.runEpoch();
        times[`K=${k} warm`].push((performance.now() - w0) / 1000);
        const ew = await embedAll(warm.set, tw.head, true, gemm);
        pooled[`K=${k} warm`].push(...outcomes(set, ew.emb, ew.dim, evalSplit));
      }
    }
    results[proto] = pooled;
    console.log(`\n${proto} (${SEEDS} seeds pooled; 95% bootstrap over individuals):`);
    const rng = new Rng(99);
    const base = summarizeBoot(pooled.pretrained, rng);
    for (const [name, o] of Object.entries(pooled)) {
      const s = summarizeBoot(o, rng);
      const t = times[name] ? `  train ${f3(times[name].reduce((a, b) => a + b, 0) / times[name].length)} s` : '';
      console.log(`  ${name.padEnd(13)} rank-1 ${f3(s.rank1)} [${f3(s.ci[0])}, ${f3(s.ci[1])}]  MAP@5 ${f3(s.map5)}  top-5 ${f3(s.top5)}  (${s.queries} queries, ${s.individuals} individuals)  x${f3(s.rank1 / base.rank1)} vs pretrained${t}`);
    }
    const d = pairedDiff(pooled['K=1'], pooled['K=4'], rng);
    console.log(`  K=4 minus K=1 rank-1: ${f3(d.mean)} [${f3(d.ci[0])}, ${f3(d.ci[1])}]`);
    for (const [a, b] of [['K=1 warm', 'K=4 warm'], ['K=1 warm', 'K=2 warm'], ['K=4 warm', 'K=2 warm']]) {
      const dw = pairedDiff(pooled[a], pooled[b], rng);
      console.log(`  ${b} minus ${a} rank-1: ${f3(dw.mean)} [${f3(dw.ci[0])}, ${f3(dw.ci[1])}]`);
    }
    for (const k of ['K=1 warm', 'K=2 warm', 'K=4 warm']) {
      const p = pairedDiff(pooled.pretrained, pooled[k], rng);
      console.log(`  ${k} minus pretrained rank-1: ${f3(p.mean)} [${f3(p.ci[0])}, ${f3(p.ci[1])}]`);
    }
  }

  console.log('\ntime per epoch vs photos (K=4, onnxruntime step):');
  for (const share of [0.25, 0.5, 1]) {
    const n = Math.round(set.ids.length * share);
    const train = Array.from({ length: n }, (_, i) => i);
    const t = new DncTrainer(set, train, resolveOptions({ learners: 4, epochs: 10, seed: 1, start: 'random' }), undefined, gemm);
    const t0 = performance.now();
    for (let e = 0; e < 10; e++) await t.runEpoch();
    console.log(`  ${String(n).padStart(5)} photos: ${f3((performance.now() - t0) / 10000)} s/epoch`);
  }

  console.log('\ntraining step, onnxruntime vs TypeScript (20 epochs of 4 steps):');
  const all = Array.from({ length: set.ids.length }, (_, i) => i);
  for (const k of [1, 4]) {
    const timeWith = async (g: Gemm) => {
      const t = new DncTrainer(set, all, resolveOptions({ learners: k, epochs: 20, stepsPerEpoch: 4, reclusterEvery: 1000, seed: 1, start: 'random' }), undefined, g);
      const t0 = performance.now();
      while (!t.done) await t.runEpoch();
      return (performance.now() - t0) / 80;
    };
    const ts = await timeWith(tsGemm);
    const ort = await timeWith(gemm);
    console.log(`  K=${k} (${128 / k}-d slice): onnxruntime ${ort.toFixed(1)} ms/step, TypeScript ${ts.toFixed(1)} ms/step, x${(ts / ort).toFixed(1)}`);
  }

  const fo = resolveOptions({ seed: 1 });
  console.log(`\nfull run as \`caudal train\` does it by default (pretrained start, 5-fold cross-validation + final run, K=${fo.learners}, all photos):`);
  const t0 = performance.now();
  const fw = pretrainedStart(set, backboneRow, fo);
  const r = await runTraining(set, [{ role: 'candidate', options: { ...fo, dim: fw.set.dimIn }, inputRanges: fw.inputRanges }], { gemm });
  const e = crossValidatedEstimate(r, pretrainedOutcomes(set, r, shipped), { id: backboneRow.id, source: 'pretrained' });
  const iv = (x: Estimate) => `${f3(x.value)} [${f3(x.lo)}, ${f3(x.hi)}]`;
  console.log(`  ${f3((performance.now() - t0) / 1000)} s, ${r.folds} folds; unseen rank-1 ${iv(e.pretrained.unseen.rank1)} -> ${iv(e.candidate.unseen.rank1)}, re-sighting ${iv(e.pretrained.resight.rank1)} -> ${iv(e.candidate.resight.rank1)}; recommended: ${e.recommend} (${e.reason})`);
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await gemm.dispose?.();
}

void main();
