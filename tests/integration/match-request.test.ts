import Database from 'better-sqlite3';
import { Backend } from '../../electron/core/api/backend';
import { simpleMatch } from '../../electron/core/match/simple-match';
import { randomUnit, rng, syntheticCatalog } from '../helpers/synthetic-catalog';

describe("'match.annotation' through the backend", () => {
  it('answers from the gallery, agrees with the reference, and sees writes from another connection', async () => {
    const r = rng(30);
    const centres = Array.from({ length: 8 }, () => randomUnit(r, 24));
    const rows = centres.flatMap((c, i) => Array.from({ length: 3 }, (_, j) => ({ individual: `W-${i}`, vector: c.map((x) => x + 0.4 * (r() - 0.5)), encounter: `E${i}-${j}` })));
    const { catalog, annotationIds } = syntheticCatalog(rows);
    const file = catalog.file;
    catalog.close();

    const backend = new Backend(file);
    try {
      const q = annotationIds[0];
      const res = await backend.request('match.annotation', { annotationId: q, top: 5 });
      expect(res.modelId).toBe('synthetic');
      expect(res.candidates[0].code).toBe('W-0');
      expect(res.candidates.map((c) => c.individualId)).toEqual(simpleMatch(backend.catalog, q, 5).candidates.map((c) => c.individualId));
      expect(res.newIndividual.probability).toBeGreaterThanOrEqual(0);
      expect(res.newIndividual.probability).toBeLessThanOrEqual(1);

      // A CLI run (another connection) re-identifies W-0's other photos as W-5.
      const other = new Database(file);
      other.prepare("UPDATE annotations SET individual_id = (SELECT id FROM individuals WHERE code = 'W-5') WHERE id IN (?, ?)").run(annotationIds[1], annotationIds[2]);
      other.close();
      const after = await backend.request('match.annotation', { annotationId: q, top: 5 });
      expect(after.candidates[0].code).toBe('W-5');

      await expect(backend.request('match.annotation', { annotationId: 99999 })).rejects.toThrow(/no annotation 99999/);
    } finally {
      await backend.close();
    }
  });
});
