import { ortGemm } from '../../../electron/core/training/gemm-ort';
import { tsGemm } from '../../../electron/core/training/gemm';
import { Rng } from '../../../electron/core/training/random';

describe('training-step matrix products', () => {
  it('give the same results through onnxruntime as in TypeScript, including a slice of W', async () => {
    const rng = new Rng(1);
    const n = 7;
    const k = 13;
    const W = Float32Array.from({ length: 12 * k }, () => rng.normal());
    const x = Float32Array.from({ length: n * k }, () => rng.normal());
    const g = Float32Array.from({ length: n * 4 }, () => rng.normal());
    const ort = await ortGemm();
    try {
      const a = await ort.xwT(x, n, k, W, 4, 4);
      const b = await tsGemm.xwT(x, n, k, W, 4, 4);
      expect(a.length).toBe(n * 4);
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
      const c = await ort.gTx(g, n, 4, x, k);
      const d = await tsGemm.gTx(g, n, 4, x, k);
      expect(c.length).toBe(4 * k);
      for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(d[i], 4);
    } finally {
      await ort.dispose?.();
    }
  });
});

describe('training through onnxruntime', () => {
  it('is deterministic for a fixed seed, as the TypeScript path is', async () => {
    const { syntheticSet } = await import('./synthetic');
    const { DncTrainer } = await import('../../../electron/core/training/trainer');
    const { resolveOptions } = await import('../../../electron/core/training/options');
    const set = syntheticSet(4);
    const train = Array.from({ length: set.ids.length }, (_, i) => i);
    const once = async () => {
      const g = await ortGemm();
      const t = new DncTrainer(set, train, resolveOptions({ learners: 2, dim: 16, epochs: 3, seed: 2, batchIndividuals: 8 }), undefined, g);
      while (!t.done) await t.runEpoch();
      await g.dispose?.();
      return Buffer.from(t.head.W.buffer);
    };
    expect((await once()).equals(await once())).toBe(true);
  });
});
