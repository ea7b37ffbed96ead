/**
 * Research script (issue 8): variants of the pretrained start, same protocols, splits and seeds as
 * training.bench.ts, each against the shipped pretrained model (paired).
 *   FINAL=0.1    share of the epochs trained on the full embedding at the end (K > 1)
 *   WIDE=1       the head reads the whole stored feature; W starts as the identity on the blocks the
 *                pretrained model matches on and zero elsewhere, so epoch 0 still ranks like it
 *   ENS=1,4      train one head per K listed and concatenate their embeddings (equal weight)
 *   EMA=0.9      also evaluate an exponential average of the head's weights, updated every epoch
 *   ALPHA=0.2    margin alpha;  BATCH=20x4  individuals x photos per batch
 *   SEEDS=1,2,3  EPOCHS=100  LR=1e-4  K=2 (the product's default)  PROTOS=unseen,resight
 * Run: CAT=<nyala-dev catalog built by training.bench.ts> npx tsx bench/pretrained-variants.ts
 */
import { DEFAULT_LEARNERS } from '../electron/contract';
import type { FeatureSet } from '../electron/core/training/dataset';
import { ortGemm } from '../electron/core/training/gemm-ort';
import { defaultMargin } from '../electron/core/training/margin-loss';
import { resolveOptions } from '../electron/core/training/options';
import { pretrainedStart } from '../electron/core/training/train-job';
import { DncTrainer, embedSamples } from '../electron/core/training/trainer';
import { outcomes } from '../electron/core/training/validate';
import { loadShipped } from './lib/shipped-reference';
import { concatUnit } from './lib/cv-training';
import { outcomePool, pairedLine, printPooled, protocolSplit } from './lib/training-protocols';

const SEEDS = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
const EPOCHS = Number(process.env.EPOCHS ?? 100);
const LR = Number(process.env.LR ?? 1e-4);
const FINAL = Number(process.env.FINAL ?? 0.1);
const WIDE = process.env.WIDE === '1';
const KS = (process.env.ENS ?? process.env.K ?? String(DEFAULT_LEARNERS)).split(',').map(Number);
const PROTOS = (process.env.PROTOS ?? 'unseen,resight').split(',');
const EMA = process.env.EMA ? Number(process.env.EMA) : null;
const ALPHA = Number(process.env.ALPHA ?? 0.2);
const [BI, BP] = (process.env.BATCH ?? '20x4').split('x').map(Number);

async function main() {
  const { set: full, backbone, shipped } = loadShipped();
  const { set: sliced, inputRanges } = pretrainedStart(full, backbone, resolveOptions({ learners: 1, start: 'pretrained' }));
  const set: FeatureSet = WIDE ? full : sliced;
  const width = sliced.dimIn;
  const all = Array.from({ length: set.ids.length }, (_, i) => i);
  const gemm = await ortGemm(2);
  const tag = `K ${KS} final ${FINAL} wide ${WIDE} lr ${LR} epochs ${EPOCHS} ema ${EMA} alpha ${ALPHA} batch ${BI}x${BP}`;
  for (const proto of PROTOS) {
    const { pooled, add } = outcomePool();
    for (const seed of SEEDS) {
      const { train, evalSplit } = protocolSplit(proto, set, seed);
      add('pretrained', outcomes(set, shipped.emb, shipped.dim, evalSplit));
      const parts: Float32Array[] = [];
      const emaParts: Float32Array[] = [];
      const t0 = performance.now();
      for (const K of KS) {
        const o = { ...resolveOptions({ learners: K, epochs: EPOCHS, seed, lr: LR, start: 'pretrained', finalShare: FINAL, margin: { ...defaultMargin, alpha: ALPHA }, batchIndividuals: BI, perIndividual: BP }), dim: width };
        const t = new DncTrainer(set, train, WIDE ? { ...o, start: 'random' } : o, undefined, gemm);
        if (WIDE) startAtRanges(t, inputRanges!);
        if (seed === SEEDS[0] && K === KS[0]) add('epoch 0', outcomes(set, await embedSamples(t.head, set, all, true, gemm), width, evalSplit));
        const avgW = t.head.W.slice();
        const avgB = t.head.b.slice();
        while (!t.done) {
          await t.runEpoch();
          if (EMA !== null) for (const [avg, cur] of [[avgW, t.head.W], [avgB, t.head.b]]) for (let i = 0; i < avg.length; i++) avg[i] = EMA * avg[i] + (1 - EMA) * cur[i];
        }
        parts.push(await embedSamples(t.head, set, all, true, gemm));
        if (EMA !== null) {
          t.head.W.set(avgW);
          t.head.b.set(avgB);
          emaParts.push(await embedSamples(t.head, set, all, true, gemm));
        }
      }
      console.error(`${proto} seed ${seed}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      add('trained', outcomes(set, concatUnit(parts, all.length, width), width * parts.length, evalSplit));
      if (emaParts.length) add('averaged', outcomes(set, concatUnit(emaParts, all.length, width), width * emaParts.length, evalSplit));
    }
    const rng = printPooled(`${proto} seeds ${SEEDS} ${tag}`, pooled, 'pretrained');
    if (pooled.averaged) console.log(`  averaged - trained: ${pairedLine(pooled.trained, pooled.averaged, rng)}`);
  }
  await gemm.dispose?.();
}

/** W = identity from the blocks the pretrained model reads to the output, zero on the rest. */
function startAtRanges(t: DncTrainer, ranges: Array<[number, number]>): void {
  const h = t.head;
  h.W.fill(0);
  h.b.fill(0);
  let out = 0;
  for (const [start, len] of ranges) for (let i = 0; i < len; i++, out++) h.W[out * h.dimIn + start + i] = 1 / h.scale[start + i];
}

void main();
