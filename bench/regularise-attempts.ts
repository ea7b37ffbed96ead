/**
 * Research script (issue 8): do regularisers of the head lift UNSEEN individuals? Same protocols,
 * splits and seeds as training.bench.ts, K = 4; each variant is compared, paired, with the default.
 *   SEEDS=1,2,3  PROTOS=unseen,resight  EPOCHS=200
 *   VARIANTS='{"drop0.3":{"inputDropout":0.3},"wd1e-3":{"weightDecay":1e-3}}'  (TrainOptions overrides)
 *   (inputDropout, instanceShare and the transductive ALLINST=1 variant exist only in this script's
 *   version in commit 9b70e6c: they did not help, see bench/README.md)
 * Run: CAT=<nyala-dev catalog, imported + embedded> npx tsx bench/regularise-attempts.ts
 */
import { ortGemm } from '../electron/core/training/gemm-ort';
import { resolveOptions, type TrainOptions } from '../electron/core/training/options';
import { DncTrainer, embedSamples } from '../electron/core/training/trainer';
import { outcomes } from '../electron/core/training/validate';
import { loadShipped } from './lib/shipped-reference';
import { outcomePool, printPooled, protocolSplit } from './lib/training-protocols';

const SEEDS = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
const EPOCHS = Number(process.env.EPOCHS ?? 200);
const PROTOS = (process.env.PROTOS ?? 'unseen,resight').split(',');
const VARIANTS: Record<string, Partial<TrainOptions>> = { default: {}, ...JSON.parse(process.env.VARIANTS ?? '{}') };

async function main() {
  const { set } = loadShipped();
  const all = Array.from({ length: set.ids.length }, (_, i) => i);
  const gemm = await ortGemm(1);
  for (const proto of PROTOS) {
    const { pooled, add } = outcomePool();
    for (const seed of SEEDS) {
      const { train, evalSplit } = protocolSplit(proto, set, seed);
      for (const [name, over] of Object.entries(VARIANTS)) {
        const t0 = performance.now();
        const o = resolveOptions({ learners: 4, epochs: EPOCHS, seed, start: 'random', ...over });
        const t = new DncTrainer(set, train, o, undefined, gemm);
        while (!t.done) await t.runEpoch();
        const e = await embedSamples(t.head, set, all, o.flipAverage, gemm);
        const out = outcomes(set, e, o.dim, evalSplit);
        add(name, out);
        const r1 = out.filter((q) => q.rank === 1).length / out.length;
        console.error(`${proto} seed ${seed} ${name}: rank-1 ${r1.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      }
    }
    printPooled(`${proto} seeds ${SEEDS} epochs ${EPOCHS}`, pooled, 'default');
  }
  await gemm.dispose?.();
}
void main();
