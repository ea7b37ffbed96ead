/**
 * Research script (issue 8), now through the product path (`--start pretrained`): start the head AT
 * the shipped pretrained embedding and fine-tune from
 * there. Input = the final layer's block only (what the shipped model matches on), dim = its width,
 * W = identity, global standardisation (centring + one scale), small learning rate; so epoch 0 is
 * the (centred) pretrained embedding and training can only move away from it as the loss asks.
 *   SEEDS=1,2,3  EPOCHS=100  LR=1e-4  K=1  PROTOS=unseen,resight
 * Run: CAT=<nyala-dev catalog built by training.bench.ts> npx tsx bench/identity-init-attempts.ts
 */
import { ortGemm } from '../electron/core/training/gemm-ort';
import { resolveOptions } from '../electron/core/training/options';
import { pretrainedStart } from '../electron/core/training/train-job';
import { DncTrainer, embedSamples } from '../electron/core/training/trainer';
import { outcomes } from '../electron/core/training/validate';
import { loadShipped } from './lib/shipped-reference';
import { outcomePool, printPooled, protocolSplit } from './lib/training-protocols';

const SEEDS = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
const EPOCHS = Number(process.env.EPOCHS ?? 100);
const LR = Number(process.env.LR ?? 1e-4);
const K = Number(process.env.K ?? 1);
const PROTOS = (process.env.PROTOS ?? 'unseen,resight').split(',');
const CHECK = (process.env.CHECK ?? '25,50,100').split(',').map(Number);

async function main() {
  const { set: set0, backbone, shipped } = loadShipped();
  // What `caudal train --start pretrained` trains on: the blocks the backbone's head matches on.
  const { set } = pretrainedStart(set0, backbone, resolveOptions({ learners: K, start: 'pretrained' }));
  const L = set.dimIn;
  const all = Array.from({ length: set.ids.length }, (_, i) => i);
  const gemm = await ortGemm(2);
  for (const proto of PROTOS) {
    const { pooled, add } = outcomePool();
    for (const seed of SEEDS) {
      const { train, evalSplit } = protocolSplit(proto, set, seed);
      add('pretrained', outcomes(set, shipped.emb, shipped.dim, evalSplit));
      const o = { ...resolveOptions({ learners: K, epochs: EPOCHS, seed, lr: LR, start: 'pretrained' }), dim: L };
      const t = new DncTrainer(set, train, o, undefined, gemm);
      add('epoch   0', outcomes(set, await embedSamples(t.head, set, all, true, gemm), L, evalSplit));
      const t0 = performance.now();
      while (!t.done) {
        await t.runEpoch();
        if (CHECK.includes(t.epoch)) add(`epoch ${String(t.epoch).padStart(3)}`, outcomes(set, await embedSamples(t.head, set, all, true, gemm), L, evalSplit));
      }
      console.error(`${proto} seed ${seed}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    printPooled(`${proto} seeds ${SEEDS} K ${K} lr ${LR}`, pooled, 'pretrained');
  }
  await gemm.dispose?.();
}
void main();
