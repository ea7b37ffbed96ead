import { Matcher } from '../../electron/core/match/matcher';
import { OpenSetModel } from '../../electron/core/match/open-set/model';
import { simpleMatch } from '../../electron/core/match/simple-match';
import { addEmbedding, randomUnit, rng, syntheticCatalog, type SynthRow } from '../helpers/synthetic-catalog';

/** Individuals as clusters: each photo = the individual's centre + noise, re-normalised. */
function clustered(seed: number, individuals: number, perInd: number, dim: number, noise: number, extra: (i: number, j: number) => Partial<SynthRow> = () => ({})) {
  const r = rng(seed);
  const rows: SynthRow[] = [];
  const centres = Array.from({ length: individuals }, () => randomUnit(r, dim));
  for (let i = 0; i < individuals; i++) {
    for (let j = 0; j < perInd; j++) {
      const v = centres[i].map((c) => c + noise * (r() - 0.5));
      rows.push({ individual: `ID-${i}`, vector: v, encounter: `E${i}-${j}`, ...extra(i, j) });
    }
  }
  return { rows, centres, r };
}

describe('matching over the gallery', () => {
  it('agrees with the brute-force reference (simple-match) on ranks and scores, with and without filters', async () => {
    const { rows } = clustered(20, 40, 5, 32, 1.2, (i, j) => ({
      side: j % 2 ? 'left' : 'right',
      takenAt: `2024-0${1 + (j % 5)}-15T12:00:00Z`,
      lat: -33 + (i % 4),
      lon: 18,
    }));
    const { catalog, annotationIds } = syntheticCatalog(rows);
    const m = new Matcher(catalog.store, { loopBelow: 0 });
    const filterSets = [
      {},
      { sameSide: false },
      { side: 'left', from: '2024-02-01', to: '2024-04' },
      { near: { lat: -33, lon: 18, km: 120 } },
      { excludeOwnEncounter: false, sameSide: false },
    ];
    for (const filters of filterSets) {
      for (const a of annotationIds.filter((_, i) => i % 17 === 0)) {
        const want = simpleMatch(catalog, a, 12, filters);
        const got = await m.matchAnnotation(a, 12, filters);
        expect(got.candidates.map((c) => c.individualId)).toEqual(want.candidates.map((c) => c.individualId));
        got.candidates.forEach((c, i) => {
          expect(c.score).toBeCloseTo(want.candidates[i].score, 5);
          expect(c.evidence[0].annotationId).toBe(want.candidates[i].evidence[0].annotationId);
          expect(c.evidence.every((e) => e.annotationId !== a)).toBe(true);
        });
      }
    }
    catalog.close();
  });

  it('applies every filter: side, body part, dates, distance, rejected individuals, own encounter', async () => {
    const { rows } = clustered(21, 6, 4, 16, 0.6, (i, j) => ({
      side: j < 2 ? 'left' : 'right',
      bodyPart: i === 5 ? 'dorsal' : 'fluke',
      encounter: j === 0 ? 'SHARED' : `E${i}-${j}`,
      takenAt: `2023-0${1 + j}-01T00:00:00Z`,
      lat: j === 3 ? 60 : -33.9,
      lon: j === 3 ? 10 : 18.4,
    }));
    const { catalog, annotationIds, individualIds } = syntheticCatalog(rows);
    const m = new Matcher(catalog.store);
    const q = annotationIds[1]; // ID-0, left, encounter E0-1
    const info = (id: number) => catalog.db.prepare('SELECT a.side, a.body_part, p.encounter_id, p.taken_at_utc, p.latitude FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE a.id = ?').get(id) as any;
    const all = async (filters: object) => (await m.matchAnnotation(q, 50, filters)).candidates.flatMap((c) => c.evidence.map((e) => info(e.annotationId)));

    for (const e of await all({})) {
      expect(e.side).toBe('left');
      expect(e.body_part).toBe('fluke');
    }
    expect((await all({ sameBodyPart: false })).some((e) => e.body_part === 'dorsal')).toBe(true);
    expect((await all({ sameSide: false })).some((e) => e.side === 'right')).toBe(true);
    for (const e of await all({ sameSide: false, from: '2023-02-01', to: '2023-03-31' })) expect(e.taken_at_utc >= '2023-02-01' && e.taken_at_utc <= '2023-03-31T99').toBe(true);
    for (const e of await all({ sameSide: false, near: { lat: 60, lon: 10, km: 5 } })) expect(e.latitude).toBe(60);
    // Own encounter: the query's photo E0-1 has no siblings; annotation 0 (SHARED) joins it when we move it there.
    const shared = catalog.db.prepare("SELECT id FROM encounters WHERE code = 'SHARED'").pluck().get();
    catalog.db.prepare('UPDATE photos SET encounter_id = ? WHERE id = (SELECT photo_id FROM annotations WHERE id = ?)').run(shared, q);
    const withOwn = await m.matchAnnotation(q, 50, { excludeOwnEncounter: false });
    const withoutOwn = await m.matchAnnotation(q, 50, {});
    const ev = (r: typeof withOwn) => r.candidates.flatMap((c) => c.evidence.map((e) => e.annotationId));
    expect(ev(withOwn)).toContain(annotationIds[0]);
    expect(ev(withoutOwn)).not.toContain(annotationIds[0]);
    // A rejection (from the review log) removes that individual for this query only.
    const top = withoutOwn.candidates[0].individualId;
    catalog.db.prepare("INSERT INTO decisions(annotation_id, individual_id, decision) VALUES (?, ?, 'reject')").run(q, top);
    expect((await m.matchAnnotation(q, 50)).candidates.map((c) => c.individualId)).not.toContain(top);
    expect((await m.matchAnnotation(q, 50, { excludeRejected: false })).candidates.map((c) => c.individualId)).toContain(top);
    expect((await m.matchAnnotation(annotationIds[2], 50)).candidates.map((c) => c.individualId)).toContain(top);
    expect(individualIds.size).toBe(6);
    catalog.close();
  });

  it('returns `top` distinct individuals even when a few individuals own most of the nearest photos', async () => {
    // Individual ID-0 has 300 near-identical photos right next to the query; 20 others one each, further away.
    const r = rng(22);
    const dim = 16;
    const base = randomUnit(r, dim);
    const rows: SynthRow[] = [];
    for (let j = 0; j < 300; j++) rows.push({ individual: 'ID-0', vector: base.map((c) => c + 0.01 * (r() - 0.5)), encounter: `E0-${j}` });
    for (let i = 1; i <= 20; i++) rows.push({ individual: `ID-${i}`, vector: base.map((c) => c + 0.8 * (r() - 0.5)), encounter: `E${i}` });
    rows.push({ individual: null, vector: base, encounter: 'Q' });
    const { catalog, annotationIds } = syntheticCatalog(rows);
    const m = new Matcher(catalog.store);
    const res = await m.matchAnnotation(annotationIds[annotationIds.length - 1], 10);
    expect(res.candidates).toHaveLength(10);
    expect(res.candidates[0].code).toBe('ID-0');
    expect(new Set(res.candidates.map((c) => c.individualId)).size).toBe(10);
    expect(res.candidates.map((c) => c.individualId)).toEqual(simpleMatch(catalog, annotationIds[annotationIds.length - 1], 10).candidates.map((c) => c.individualId));
    catalog.close();
  });

  it('serialises concurrent requests: each sees exactly the writes made before it ran', async () => {
    const { rows } = clustered(26, 30, 4, 16, 0.8);
    const { catalog, annotationIds } = syntheticCatalog(rows);
    const m = new Matcher(catalog.store, { loopBelow: 0 });
    const queries = annotationIds.filter((_, i) => i % 4 === 0);
    const deleted = annotationIds.filter((_, i) => i % 4 === 1);
    const pending = queries.map(async (q, i) => {
      const r = await m.matchAnnotation(q, 8);
      // Writes land between requests (while others are searching).
      catalog.db.prepare('DELETE FROM embeddings WHERE annotation_id = ?').run(deleted[i]);
      return r;
    });
    const results = await Promise.all(pending);
    const gone = new Set(deleted);
    for (const [i, r] of results.entries()) {
      expect(r.annotationId).toBe(queries[i]);
      expect(r.candidates).toHaveLength(8);
      // Rows deleted before this request ran never show up.
      const deletedBefore = new Set(deleted.slice(0, i));
      for (const c of r.candidates) for (const e of c.evidence) expect(deletedBefore.has(e.annotationId)).toBe(false);
    }
    const after = await m.matchAnnotation(queries[0], 8);
    expect(after.candidates.flatMap((c) => c.evidence.map((e) => e.annotationId)).some((id) => gone.has(id))).toBe(false);
    catalog.close();
  });

  it('reflects embeddings and identities changed after the gallery was built', async () => {
    const { rows } = clustered(23, 5, 3, 16, 0.3);
    const { catalog, annotationIds, individualIds } = syntheticCatalog(rows);
    const m = new Matcher(catalog.store);
    const q = annotationIds[0];
    expect((await m.matchAnnotation(q, 5)).candidates[0].code).toBe('ID-0');
    // Re-identify the query's siblings as ID-4: the best match follows them.
    catalog.db.prepare('UPDATE annotations SET individual_id = ? WHERE id IN (?, ?)').run(individualIds.get('ID-4'), annotationIds[1], annotationIds[2]);
    expect((await m.matchAnnotation(q, 5)).candidates[0].code).toBe('ID-4');
    // Drop their embeddings: ID-4's own photos (far away) are all that is left of it.
    catalog.db.prepare('DELETE FROM embeddings WHERE annotation_id IN (?, ?)').run(annotationIds[1], annotationIds[2]);
    const after = await m.matchAnnotation(q, 5);
    expect(after.candidates.flatMap((c) => c.evidence.map((e) => e.annotationId))).not.toContain(annotationIds[1]);
    catalog.close();
  });

  it('estimates "new individual": high for an animal absent from the catalog, low for a catalogued one', async () => {
    // Planted: 60 individuals x 4 photos, tight clusters. Query A = a fresh photo of ID-7 (catalogued),
    // query B = a photo of an individual with no photo in the catalog.
    const { rows, centres, r } = clustered(24, 60, 4, 32, 0.5);
    const absentCentre = randomUnit(r, 32);
    rows.push({ individual: null, vector: centres[7].map((c) => c + 0.5 * (r() - 0.5)), encounter: 'QA' });
    rows.push({ individual: null, vector: absentCentre.map((c) => c + 0.5 * (r() - 0.5)), encounter: 'QB' });
    const { catalog, annotationIds } = syntheticCatalog(rows);
    const m = new Matcher(catalog.store);
    const known = await m.matchAnnotation(annotationIds[annotationIds.length - 2], 10);
    const absent = await m.matchAnnotation(annotationIds[annotationIds.length - 1], 10);
    expect(known.candidates[0].code).toBe('ID-7');
    expect(known.newIndividual.probability).toBeLessThan(0.1);
    expect(known.newIndividual.rank).toBeGreaterThan(1);
    expect(absent.newIndividual.probability).toBeGreaterThan(0.9);
    expect(absent.newIndividual.rank).toBe(1);
    catalog.close();
  });

  it('refits the open-set estimate when confirmed identities change, not on every request', async () => {
    const { rows } = clustered(26, 30, 3, 16, 0.6);
    const { catalog, annotationIds, individualIds } = syntheticCatalog(rows);
    const m = new Matcher(catalog.store);
    const first = await m.calibration();
    expect(first?.calibrated).toBe(true);
    await m.matchAnnotation(annotationIds[0], 5);
    expect(await m.calibration()).toBe(first);
    // One photo moves to another individual: the next fit is a new one.
    catalog.db.prepare('UPDATE annotations SET individual_id = ? WHERE id = ?').run(individualIds.get('ID-3'), annotationIds[0]);
    const second = await m.calibration();
    expect(second).not.toBe(first);
    expect(await m.calibration()).toBe(second);
    catalog.close();
  });

  it('refits the open-set estimate when the active model changes, and again when it changes back', async () => {
    // The first model separates the individuals; the second's vectors are noise, so no fit of it can beat a constant.
    const { rows, r } = clustered(29, 30, 3, 16, 0.6);
    const { catalog, annotationIds } = syntheticCatalog(rows);
    catalog.db.prepare("INSERT INTO models(id, name, kind, manifest, active) VALUES ('noise', 'noise', 'pretrained', '{}', 0)").run();
    for (const a of annotationIds) addEmbedding(catalog, a, randomUnit(r, 16), 'noise');
    const m = new Matcher(catalog.store);
    const first = await m.calibration();
    expect(first?.calibrated).toBe(true);
    catalog.store.models.setActive('noise');
    const second = await m.calibration();
    expect(second).not.toBe(first);
    expect(second?.calibrated).toBe(false);
    catalog.store.models.setActive('synthetic');
    const third = await m.calibration();
    expect(third).not.toBe(second);
    expect(third?.calibrated).toBe(true);
    catalog.close();
  });

  it("uses a trained model's stored estimate (fitted on its held-out photos) instead of calibrating on the catalog", async () => {
    const { rows } = clustered(28, 12, 3, 16, 0.5);
    rows.push({ individual: null, vector: rows[0].vector, encounter: 'Q' });
    const { catalog, annotationIds } = syntheticCatalog(rows);
    const stored = OpenSetModel.uninformed(0.42, 'stored with the model');
    catalog.db.prepare('UPDATE models SET metrics = ? WHERE active = 1').run(JSON.stringify({ openSet: stored.toJSON() }));
    const r = await new Matcher(catalog.store).matchAnnotation(annotationIds[annotationIds.length - 1], 10);
    expect(r.newIndividual).toMatchObject({ probability: 0.42, calibrated: false, note: 'stored with the model' });
    catalog.close();
  });

  it('falls back to the prior, and says so, when too few individuals are confirmed', async () => {
    const { rows } = clustered(27, 6, 4, 16, 0.5);
    rows.push({ individual: null, vector: rows[0].vector, encounter: 'Q' });
    const { catalog, annotationIds } = syntheticCatalog(rows);
    const r = await new Matcher(catalog.store).matchAnnotation(annotationIds[annotationIds.length - 1], 10);
    expect(r.newIndividual.calibrated).toBe(false);
    expect(r.newIndividual.note).toMatch(/not enough confirmed individuals to estimate \(6 of 8\)/);
    // 6 individuals over 24 photos: the catalog's own rate of new animals.
    expect(r.newIndividual.probability).toBeCloseTo(0.25, 5);
    expect(r.newIndividual.rank).toBe(r.candidates.length + 1);
    expect(r.candidates.every((c) => c.probability === undefined)).toBe(true);
    catalog.close();
  });

});
