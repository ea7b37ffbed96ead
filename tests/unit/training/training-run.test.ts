import { resolveOptions } from '../../../electron/core/training/options';
import { Rng } from '../../../electron/core/training/random';
import { balancedBatch, poolsOf } from '../../../electron/core/training/sampler';
import { validationSplit } from '../../../electron/core/training/split';
import { DncTrainer, embedSamples } from '../../../electron/core/training/trainer';
import { viewRows } from '../../../electron/core/training/dataset';
import { l2NormalizeRows } from '../../../electron/core/training/vec';
import { heldOutMetrics } from '../../../electron/core/training/validate';
import { syntheticSet } from './synthetic';

describe('class-balanced sampler', () => {
  it('draws distinct individuals, distinct samples, at least two per individual, from the pool only', () => {
    const label = Int32Array.from({ length: 60 }, (_, i) => i % 13);
    const samples = Array.from({ length: 50 }, (_, i) => i + 5);
    const pools = poolsOf(samples, label);
    for (const p of pools) expect(p.length).toBeGreaterThanOrEqual(2);
    // Individuals with a single sample in the pool sit out.
    const counts = new Map<number, number>();
    for (const s of samples) counts.set(label[s], (counts.get(label[s]) ?? 0) + 1);
    expect(pools.length).toBe([...counts.values()].filter((c) => c >= 2).length);
    const rng = new Rng(1);
    for (let t = 0; t < 50; t++) {
      const batch = balancedBatch(pools, rng, 5, 3);
      expect(new Set(batch).size).toBe(batch.length);
      const per = new Map<number, number>();
      for (const s of batch) {
        expect(samples).toContain(s);
        per.set(label[s], (per.get(label[s]) ?? 0) + 1);
      }
      expect(per.size).toBe(5);
      for (const c of per.values()) expect(c).toBeGreaterThanOrEqual(2);
      for (const c of per.values()) expect(c).toBeLessThanOrEqual(3);
    }
  });
});

describe('validation split', () => {
  it('keeps unseen individuals and later sightings out of training', () => {
    const set = syntheticSet(1);
    const split = validationSplit(set, 3, 0.25);
    const trainLabels = new Set(split.train.map((i) => set.label[i]));
    for (const q of split.unseen.queries) expect(trainLabels.has(set.label[q])).toBe(false);
    expect(new Set(split.unseen.queries.map((q) => set.label[q])).size).toBe(10);
    const train = new Set(split.train);
    for (const q of split.resight.queries) {
      expect(train.has(q)).toBe(false);
      // every re-sighting query is later than every training sighting of its individual
      for (const t of split.train) if (set.label[t] === set.label[q]) expect(set.order[t]).toBeLessThan(set.order[q]);
    }
    expect(split.resight.queries.length).toBe(30 * 4);
  });
});

describe('divide-and-conquer training', () => {
  const run = async (learners: number, seed: number, epochs = 30) => {
    const set = syntheticSet(2);
    const split = validationSplit(set, seed, 0.25);
    const t = new DncTrainer(set, split.train, resolveOptions({ learners, dim: 16, epochs, seed, batchIndividuals: 8 }));
    const stats = [];
    while (!t.done) stats.push(await t.runEpoch());
    return { set, split, t, stats };
  };

  it('is deterministic for a fixed seed and differs for another', async () => {
    const a = (await run(2, 5, 6)).t.head.W;
    const b = (await run(2, 5, 6)).t.head.W;
    const c = (await run(2, 6, 6)).t.head.W;
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('resumes from a saved state to exactly the weights of an uninterrupted run', async () => {
    const set = syntheticSet(2);
    const split = validationSplit(set, 1, 0.25);
    const o = resolveOptions({ learners: 2, dim: 16, epochs: 6, seed: 1, batchIndividuals: 8 });
    const whole = new DncTrainer(set, split.train, o);
    while (!whole.done) await whole.runEpoch();
    const first = new DncTrainer(set, split.train, o);
    for (let i = 0; i < 3; i++) await first.runEpoch();
    const saved = structuredClone(first.state());
    const second = new DncTrainer(set, split.train, o, saved);
    while (!second.done) await second.runEpoch();
    expect(Array.from(second.head.W)).toEqual(Array.from(whole.head.W));
  });

  it('trains only the current learner\'s slice in the divide phase, then all slices', async () => {
    const { stats } = await run(2, 1, 10);
    expect(stats.slice(0, 9).every((s) => s.phase === 'divide')).toBe(true);
    expect(stats[9].phase).toBe('full');
    expect(stats[0].clusterSizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('improves held-out retrieval of unseen individuals and later sightings (K = 1 and K = 2)', async () => {
    for (const [k, epochs] of [
      [1, 30],
      [2, 80],
    ]) {
      const { set, split, t, stats } = await run(k, 1, epochs);
      const before = await heldOutMetrics(set, split, null, false);
      const after = await heldOutMetrics(set, split, t.head, false);
      expect(stats[stats.length - 1].loss).toBeLessThan(stats[0].loss);
      expect(after.unseen.rank1).toBeGreaterThan(before.unseen.rank1 + 0.25);
      expect(after.resight.rank1).toBeGreaterThan(before.resight.rank1 + 0.25);
    }
  });
});

describe('a head started from the pretrained model', () => {
  it('begins exactly at the centred input (so it ranks as the pretrained features do) and then learns', async () => {
    const set = syntheticSet(2);
    const split = validationSplit(set, 1, 0.25);
    const o = resolveOptions({ learners: 1, dim: set.dimIn, start: 'pretrained', epochs: 20, seed: 1 });
    expect(o).toMatchObject({ lr: 1e-4, standardize: 'global' }); // the start's own defaults
    expect(resolveOptions({ start: 'pretrained' }).epochs).toBe(100);
    const t = new DncTrainer(set, split.train, o);
    const all = Array.from({ length: set.ids.length }, (_, i) => i);
    const at0 = await embedSamples(t.head, set, all, false);
    // normalise(normalise(x) - mu), with mu the mean of the normalised training inputs.
    const x = l2NormalizeRows(viewRows(set, all, 0), all.length, set.dimIn);
    const mu = new Float64Array(set.dimIn);
    const train = l2NormalizeRows(viewRows(set, split.train, 0), split.train.length, set.dimIn);
    for (let r = 0; r < split.train.length; r++) for (let j = 0; j < set.dimIn; j++) mu[j] += train[r * set.dimIn + j] / split.train.length;
    for (let r = 0; r < all.length; r++) for (let j = 0; j < set.dimIn; j++) x[r * set.dimIn + j] -= mu[j];
    const expected = l2NormalizeRows(x, all.length, set.dimIn);
    for (let i = 0; i < expected.length; i++) expect(at0[i]).toBeCloseTo(expected[i], 4);
    const before = await heldOutMetrics(set, split, t.head, false);
    while (!t.done) await t.runEpoch();
    const after = await heldOutMetrics(set, split, t.head, false);
    expect(after.resight.rank1).toBeGreaterThan(before.resight.rank1);
  });

  it('needs an embedding as wide as its input, and a known start', () => {
    const set = syntheticSet(1);
    expect(() => new DncTrainer(set, [0, 1, 2, 3], resolveOptions({ learners: 1, dim: 16, start: 'pretrained' }))).toThrow(/dim = dimIn/);
    expect(() => resolveOptions({ start: 'middle' as never })).toThrow(/start must be/);
  });
});
