import path from 'node:path';
import { Backend } from '../../electron/core/api/backend';
import { matchPhotos } from '../../electron/core/match/match-photos';
import { fuseEncounter } from '../../electron/core/match/encounter-fusion';
import { texturedJpeg } from '../helpers/catalog-rows';
import { encounterCatalog } from '../helpers/encounter-fixture';
import { tmpDir } from '../helpers/tmp';

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
    const { catalog: c, annotationIds, individualIds } = encounterCatalog();
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

describe('caudal match --encounter (matchPhotos)', () => {
  it('matches the given photos as one animal, each on its own side; one side per photo or a clear error', async () => {
    const { catalog } = encounterCatalog();
    const dir = tmpDir('caudal-enc-photos-');
    // New photos (not in the catalog): their vectors are the query's two flanks of the fixture.
    const left = await texturedJpeg(path.join(dir, 'left.jpg'), 1);
    const right = await texturedJpeg(path.join(dir, 'right.jpg'), 2);
    const vectors = new Map([
      [left, Float32Array.from([1, 0, 0])],
      [right, Float32Array.from([0, 1, 0])],
    ]);
    const embed = async (_c: unknown, file: string) => vectors.get(file)!;
    try {
      const alone = await matchPhotos(catalog, [left], { side: 'left', top: 2 }, embed);
      expect(alone[0].candidates.map((c) => c.individual)).toEqual(['B', 'A']);
      const together = await matchPhotos(catalog, [left, right], { encounter: true, sides: ['left', 'right'], top: 2 }, embed);
      expect(together).toHaveLength(1);
      expect(together[0].photo).toBe(`${left} + ${right}`);
      expect(together[0].candidates.map((c) => c.individual)).toEqual(['A', 'B']);
      await expect(matchPhotos(catalog, [left, right], { encounter: true, sides: ['left'] }, embed)).rejects.toThrow(/--side lists 1 sides for 2 photos/);
    } finally {
      catalog.close();
    }
  });
});
