import { headFor, type ModelRow } from '../../../electron/core/vision/heads';
import { LinearHead } from '../../../electron/core/training/head';
import { encodeWeights } from '../../../electron/core/vision/sliced-linear-head';
import { Rng } from '../../../electron/core/training/random';

describe("head kind 'sliced-linear'", () => {
  it('is known to headFor and gives the trained head\'s embedding from the stored weights', () => {
    const rng = new Rng(3);
    const head = LinearHead.init(10, 8, 4, rng);
    const raw = Float32Array.from({ length: 3 * 10 }, () => Math.abs(rng.normal()));
    head.fitInput(raw, 3);
    const { W, b } = head.folded();
    const model: ModelRow = {
      id: 'ft',
      name: 'ft',
      kind: 'fine-tuned',
      parent_id: 'bb',
      manifest: '{}',
      weights: encodeWeights(W, b),
      params: JSON.stringify({ head: { kind: 'sliced-linear', dimIn: 10, dim: 8, slices: 4, flipAverage: false } }),
      metrics: null,
      active: 0,
    };
    const { vectors, dim } = headFor(model)(raw, 3, 10);
    expect(dim).toBe(8);
    const expected = head.embed(raw, 3);
    for (let i = 0; i < expected.length; i++) expect(vectors[i]).toBeCloseTo(expected[i], 5);
    expect(() => headFor({ ...model, weights: Buffer.alloc(12) })).toThrow(/expected/);
  });
});
