import { Backend } from '../../electron/core/api/backend';
import { fuseEncounter } from '../../electron/core/match/encounter-fusion';
import { syntheticCatalog } from '../helpers/synthetic-catalog';

// Vectors in 3-d: x = "left flank of A", y = "right flank of A", z = elsewhere.
const unit = (...v: number[]) => v;

/**
 * A constructed encounter (one animal, both flanks, unidentified) where the left photo alone ranks the
 * wrong individual first and the two photos together rank the right one: B's left flank is nearest
 * the query's left photo, but B's right flank is far from the query's right photo; A is close on both.
 */
function catalog() {
  return syntheticCatalog([
    { individual: 'A', side: 'left', vector: unit(0.8, 0, 0.6), encounter: 'a1' },
    { individual: 'A', side: 'right', vector: unit(0, 0.8, 0.6), encounter: 'a1' },
    { individual: 'B', side: 'left', vector: unit(0.95, 0, 0.31), encounter: 'b1' },
    { individual: 'B', side: 'right', vector: unit(0, 0.1, 0.99), encounter: 'b1' },
    { individual: null, side: 'left', vector: unit(1, 0, 0), encounter: 'q' },
    { individual: null, side: 'right', vector: unit(0, 1, 0), encounter: 'q' },
  ]);
}

describe('encounter-level matching', () => {
  it('fuses per-photo rankings by the mean of each individual\'s best score, counting only the photos that could see it', () => {
    const hit = (individualId: number, score: number) => ({ individualId, score, evidence: [{ individualId, annotationId: individualId * 10, photoId: 1, score }] });
    const fused = fuseEncounter([
      { ranked: [hit(2, 0.95), hit(1, 0.8)], complete: true },
      // individual 3 has no photo of this side; individual 2 is below the cut of a truncated list
      { ranked: [hit(1, 0.8), hit(3, 0.5)], complete: false },
    ]);
    expect(fused.map((f) => [f.individualId, Number(f.score.toFixed(3))])).toEqual([
      [1, 0.8],
      [2, 0.725], // (0.95 + the truncated list's floor 0.5) / 2
      [3, 0.5],
    ]);
  });

  it("'match.annotation' with encounter ranks the animal both photos agree on; alone, the left photo is fooled", async () => {
    const { catalog: c, annotationIds, individualIds } = catalog();
    const file = c.file;
    c.close();
    const backend = new Backend(file);
    try {
      const left = annotationIds[4];
      const alone = await backend.request('match.annotation', { annotationId: left, top: 2 });
      expect(alone.candidates.map((x) => x.code)).toEqual(['B', 'A']);
      const together = await backend.request('match.annotation', { annotationId: left, top: 2, encounter: true });
      expect(together.candidates.map((x) => x.code)).toEqual(['A', 'B']);
      expect(together.candidates[0].individualId).toBe(individualIds.get('A'));
      // mean of A's best left (0.8) and best right (0.8) score
      expect(together.candidates[0].score).toBeCloseTo(0.8, 5);
      expect(together.candidates[1].score).toBeCloseTo((0.95 + 0.1) / 2, 2);

      const item = await backend.request('review.item', { annotationId: left, top: 2, encounter: true });
      expect(item).toMatchObject({ encounterMates: 1, encounter: true });
      expect(item.candidates.map((x) => x.code)).toEqual(['A', 'B']);
      const plain = await backend.request('review.item', { annotationId: annotationIds[0], top: 2 });
      expect(plain).toMatchObject({ encounterMates: 0, encounter: false });
    } finally {
      await backend.close();
    }
  });
});
