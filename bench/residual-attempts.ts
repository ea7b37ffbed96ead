/**
 * Research script (issue 8): the fine-tuned head's embedding concatenated with the shipped
 * pretrained embedding (final-layer block), weight ALPHA on the pretrained part, against each alone.
 * Same protocols, splits and seeds as training.bench.ts.
 *   SEEDS=1,2,3  EPOCHS=200  KS=1,4  ALPHAS=0.5,1
 * Run: CAT=<nyala-dev catalog built by training.bench.ts> npx tsx bench/residual-attempts.ts
 */
import { ortGemm } from '../electron/core/training/gemm-ort';
import { resolveOptions } from '../electron/core/training/options';
import { DncTrainer, embedSamples } from '../electron/core/training/trainer';
import { outcomes } from '../electron/core/training/validate';
import { l2NormalizeRows } from '../electron/core/training/vec';
import { loadShipped } from './lib/shipped-reference';
import { outcomePool, printPooled, protocolSplit } from './lib/training-protocols';

const SEEDS = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
const EPOCHS = Number(process.env.EPOCHS ?? 200);
const KS = (process.env.KS ?? '1,4').split(',').map(Number);
const ALPHAS = (process.env.ALPHAS ?? '0.5,1').split(',').map(Number);

function concat(a: Float32Array, da: number, b: Float32Array, db: number, n: number, wb: number) {
  const D = da + db;
  const out = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    out.set(a.subarray(i * da, (i + 1) * da), i * D);
    for (let j = 0; j < db; j++) out[i * D + da + j] = wb * b[i * db + j];
  }
  return l2NormalizeRows(out, n, D);
}

async function main() {
  const { set, shipped } = loadShipped();
  const n = set.ids.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const gemm = await ortGemm(1);
  for (const proto of ['unseen', 'resight'] as const) {
    const { pooled, add } = outcomePool();
    for (const seed of SEEDS) {
      const { train, evalSplit } = protocolSplit(proto, set, seed);
      add('pretrained', outcomes(set, shipped.emb, shipped.dim, evalSplit));
      for (const K of KS) {
        const o = resolveOptions({ learners: K, epochs: EPOCHS, seed, start: 'random' });
        const t = new DncTrainer(set, train, o, undefined, gemm);
        while (!t.done) await t.runEpoch();
        const e = await embedSamples(t.head, set, all, true, gemm);
        add(`K=${K}`, outcomes(set, e, o.dim, evalSplit));
        for (const a of ALPHAS) add(`K=${K}+pre*${a}`, outcomes(set, concat(e, o.dim, shipped.emb, shipped.dim, n, a), o.dim + shipped.dim, evalSplit));
      }
      console.error(`${proto} seed ${seed} done`);
    }
    printPooled(`${proto} seeds ${SEEDS} epochs ${EPOCHS}`, pooled, 'pretrained');
  }
  await gemm.dispose?.();
}
void main();
