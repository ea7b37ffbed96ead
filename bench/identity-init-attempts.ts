/**
 * Research script (issue 8): start the head AT the shipped pretrained embedding and fine-tune from
 * there. Input = the final layer's block only (what the shipped model matches on), dim = its width,
 * W = identity, global standardisation (centring + one scale), small learning rate; so epoch 0 is
 * the (centred) pretrained embedding and training can only move away from it as the loss asks.
 *   SEEDS=1,2,3  EPOCHS=100  LR=1e-4  K=1  PROTOS=unseen,resight
 * Run: CAT=<nyala-dev catalog built by training.bench.ts> npx tsx bench/identity-init-attempts.ts
 */
import { Catalog } from '../electron/core/catalog/catalog';
import { backboneOf, loadFeatureSet } from '../electron/core/training/catalog-data';
import { ortGemm } from '../electron/core/training/gemm-ort';
import { getModelRow } from '../electron/core/training/model-store';
import { resolveOptions } from '../electron/core/training/options';
import { Rng } from '../electron/core/training/random';
import type { QueryOutcome } from '../electron/core/training/retrieval';
import { DncTrainer, embedSamples } from '../electron/core/training/trainer';
import { embedModelRow, outcomes } from '../electron/core/training/validate';
import { bootLine, pairedLine, resightSplit, unseenSplit } from './lib/training-protocols';

const SEEDS = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
const EPOCHS = Number(process.env.EPOCHS ?? 100);
const LR = Number(process.env.LR ?? 1e-4);
const K = Number(process.env.K ?? 1);
const PROTOS = (process.env.PROTOS ?? 'unseen,resight').split(',');
const CHECK = (process.env.CHECK ?? '25,50,100').split(',').map(Number);

async function main() {
  const c = Catalog.open(process.env.CAT ?? '/tmp/caudal-bench-nyala.sqlite');
  const set0 = loadFeatureSet(c, backboneOf(c));
  const shipped = embedModelRow(set0, getModelRow(c, backboneOf(c)));
  c.close();
  // The final layer's block: the last 1280 of the stored feature.
  const L = 1280, off = set0.dimIn - L;
  const rows = set0.features.length / set0.dimIn;
  const feats = new Float32Array(rows * L);
  for (let r = 0; r < rows; r++) feats.set(set0.features.subarray(r * set0.dimIn + off, r * set0.dimIn + off + L), r * L);
  const set = { ...set0, dimIn: L, features: feats };
  const all = Array.from({ length: set.ids.length }, (_, i) => i);
  const gemm = await ortGemm(2);
  for (const proto of PROTOS) {
    const pooled: Record<string, QueryOutcome[]> = {};
    const add = (k: string, o: QueryOutcome[]) => (pooled[k] ??= []).push(...o);
    for (const seed of SEEDS) {
      const { train, evalSplit } = proto === 'unseen' ? unseenSplit(set, seed) : resightSplit(set, seed);
      add('pretrained', outcomes(set, shipped.emb, shipped.dim, evalSplit));
      const o = resolveOptions({ learners: K, dim: L, epochs: EPOCHS, seed, lr: LR, standardize: 'global', start: 'random' });
      const t = new DncTrainer(set, train, o, undefined, gemm);
      t.head.W.fill(0);
      // Identity, scaled back up so that W x' = x - mu (the input was divided by its global scale).
      const g = 1 / t.head.scale[0];
      for (let i = 0; i < L; i++) t.head.W[i * L + i] = g;
      t.head.b.fill(0);
      add('epoch   0', outcomes(set, await embedSamples(t.head, set, all, true, gemm), L, evalSplit));
      const t0 = performance.now();
      while (!t.done) {
        await t.runEpoch();
        if (CHECK.includes(t.epoch)) add(`epoch ${String(t.epoch).padStart(3)}`, outcomes(set, await embedSamples(t.head, set, all, true, gemm), L, evalSplit));
      }
      console.error(`${proto} seed ${seed}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    const rng = new Rng(99);
    console.log(`\n${proto} seeds ${SEEDS} K ${K} lr ${LR}`);
    for (const [k, o] of Object.entries(pooled)) console.log(`  ${k.padEnd(10)} ${bootLine(o, rng)} (${o.length} q)`);
    for (const k of Object.keys(pooled)) if (k !== 'pretrained') console.log(`  ${k} - pretrained: ${pairedLine(pooled.pretrained, pooled[k], rng)}`);
  }
  await gemm.dispose?.();
}
void main();
