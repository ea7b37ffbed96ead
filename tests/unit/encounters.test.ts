import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { getEncounter, listEncounters, mergeEncounters, movePhotos, updateEncounter, updateEncounters } from '../../electron/core/encounters/edit';
import { listSightings } from '../../electron/core/encounters/sightings';
import { importInto, withCatalog } from '../helpers/import';
import { makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';

const encounterOf = (c: Catalog) => {
  const rows = c.db.prepare('SELECT original_name AS n, encounter_id AS e FROM photos ORDER BY original_name').all() as Array<{ n: string; e: number | null }>;
  return Object.fromEntries(rows.map((r) => [r.n, r.e]));
};

describe('encounters', () => {
  it('groups consecutive photos by the time gap and, when both have GPS, by distance', async () => {
    const dir = tmpDir();
    const here = { lat: 64.1, lon: -21.9 };
    const near = { lat: 64.11, lon: -21.91 }; // ~1.2 km
    const far = { lat: 65.7, lon: -18.1 }; // ~240 km
    await makePhoto(path.join(dir, 'a1.jpg'), { taken: '2024:07:01 10:00:00', gps: here, seed: 1 });
    await makePhoto(path.join(dir, 'a2.jpg'), { taken: '2024:07:01 10:20:00', gps: near, seed: 2 });
    await makePhoto(path.join(dir, 'a3.jpg'), { taken: '2024:07:01 10:45:00', seed: 3 }); // no GPS: time decides
    await makePhoto(path.join(dir, 'b1.jpg'), { taken: '2024:07:01 10:50:00', gps: far, seed: 4 }); // 5 min later but 240 km away: a3 has no GPS, so linked
    await makePhoto(path.join(dir, 'c1.jpg'), { taken: '2024:07:01 12:00:00', gps: here, seed: 5 }); // 70 min gap
    await makePhoto(path.join(dir, 'c2.jpg'), { taken: '2024:07:01 12:10:00', gps: far, seed: 6 }); // 10 min, both GPS, 240 km: split
    await makePhoto(path.join(dir, 'x.jpg'), { seed: 7 }); // no time, no sighting: no encounter
    const file = path.join(tmpDir(), 'cat.sqlite');
    const r = await importInto(file, { paths: [dir] });
    expect(r).toMatchObject({ imported: 7, withTime: 6, withGps: 5, encounters: 3 });
    withCatalog(file, (c) => {
      const e = encounterOf(c);
      expect(e['a1.jpg']).not.toBeNull();
      expect([e['a2.jpg'], e['a3.jpg'], e['b1.jpg']]).toEqual([e['a1.jpg'], e['a1.jpg'], e['a1.jpg']]);
      expect(e['c1.jpg']).not.toBe(e['a1.jpg']);
      expect(e['c2.jpg']).not.toBe(e['c1.jpg']);
      expect(e['x.jpg']).toBeNull();
      const first = getEncounter(c, e['a1.jpg']!);
      expect(first).toMatchObject({ startTime: '2024-07-01T10:00:00', endTime: '2024-07-01T10:50:00', photos: 4 });
      expect(first.latitude).toBeGreaterThan(64); // mean of its photos' GPS
    });

    // The gap is a setting; a second card from the same trip joins the encounter it continues.
    const more = tmpDir();
    await makePhoto(path.join(more, 'a4.jpg'), { taken: '2024:07:01 11:05:00', seed: 8 });
    await makePhoto(path.join(more, 'd1.jpg'), { taken: '2024:07:02 09:00:00', seed: 9 });
    withCatalog(file, (c) => c.store.settings.set('encounterGapMinutes', 20));
    expect(await importInto(file, { paths: [more] })).toMatchObject({ imported: 2, encounters: 2 });
    withCatalog(file, (c) => {
      const e = encounterOf(c);
      expect(e['a4.jpg']).toBe(e['a1.jpg']);
      expect(e['d1.jpg']).not.toBe(e['a1.jpg']);
      expect(getEncounter(c, e['a1.jpg']!).endTime).toBe('2024-07-01T11:05:00');
    });
  });

  it('can be edited, merged and split', async () => {
    const dir = tmpDir();
    await makePhoto(path.join(dir, 'p1.jpg'), { taken: '2024:07:01 10:00:00', seed: 1 });
    await makePhoto(path.join(dir, 'p2.jpg'), { taken: '2024:07:01 10:05:00', seed: 2 });
    await makePhoto(path.join(dir, 'q1.jpg'), { taken: '2024:07:03 10:00:00', seed: 3 });
    const file = path.join(tmpDir(), 'cat.sqlite');
    await importInto(file, { paths: [dir] });
    withCatalog(file, (c) => {
      const e = encounterOf(c);
      const [p, q] = [e['p1.jpg']!, e['q1.jpg']!];
      expect(updateEncounter(c, q, { location: ' Skjálfandi Bay ', notes: 'calm sea', code: 'HUS-2024-07-03' })).toMatchObject({ location: 'Skjálfandi Bay', code: 'HUS-2024-07-03' });
      expect(() => updateEncounter(c, p, { code: 'HUS-2024-07-03' })).toThrow(/already used by encounter/);
      expect(() => updateEncounter(c, p, { latitude: 95 })).toThrow(/latitude/);
      expect(() => updateEncounter(c, p, { createdAt: 'x' } as never)).toThrow(/cannot be edited/);
      expect(() => updateEncounter(c, p, { startTime: '2024-07-01 10:00' })).toThrow(/startTime '2024-07-01 10:00' is not a date-time like 2024-07-03T10:42\+02:00/);

      const merged = mergeEncounters(c, p, [q]);
      expect(merged).toMatchObject({ id: p, photos: 3, startTime: '2024-07-01T10:00:00', endTime: '2024-07-03T10:00:00', code: 'HUS-2024-07-03', notes: 'calm sea', location: 'Skjálfandi Bay' });
      expect(() => getEncounter(c, q)).toThrow(/no encounter/);
      expect(listEncounters(c).total).toBe(1);

      const photoId = c.db.prepare("SELECT id FROM photos WHERE original_name = 'q1.jpg'").pluck().get() as number;
      const split = movePhotos(c, [photoId], null);
      expect(split).toMatchObject({ photos: 1, startTime: '2024-07-03T10:00:00' });
      expect(getEncounter(c, p)).toMatchObject({ photos: 2, endTime: '2024-07-01T10:05:00' });
      expect(listEncounters(c).items.map((x) => x.id)).toEqual([split.id, p]); // newest first
      movePhotos(c, [photoId], p); // moving back empties the split: it goes
      expect(listEncounters(c).total).toBe(1);
    });
    expect(fs.existsSync(file)).toBe(true);
  });

  it('dates and places several encounters at once; a typed time outlives regrouping for undated photos', async () => {
    const dir = tmpDir();
    await makePhoto(path.join(dir, 'a.jpg'), { taken: '2024:07:01 10:00:00', seed: 1 });
    await makePhoto(path.join(dir, 'u1.jpg'), { seed: 2 });
    await makePhoto(path.join(dir, 'u2.jpg'), { seed: 3 });
    const file = path.join(tmpDir(), 'cat.sqlite');
    await importInto(file, { paths: [dir] });
    withCatalog(file, (c) => {
      const ids = (names: string[]) => names.map((n) => c.db.prepare('SELECT id FROM photos WHERE original_name = ?').pluck().get(n) as number);
      const a = encounterOf(c)['a.jpg']!;
      const u = movePhotos(c, ids(['u1.jpg']), null).id;
      const edited = updateEncounters(c, [a, u], { latitude: 42.25, longitude: -70.33, notes: 'survey day 3' });
      expect(edited.map((e) => [e.latitude, e.longitude, e.notes])).toEqual([[42.25, -70.33, 'survey day 3'], [42.25, -70.33, 'survey day 3']]);
      expect(getEncounter(c, a).startTime).toBe('2024-07-01T10:00:00'); // untouched: not in the patch

      // An undated encounter gets its time with offset; the end follows the start.
      expect(updateEncounter(c, u, { startTime: '2023-09-14T08:15+02:00' })).toMatchObject({ startTime: '2023-09-14T08:15+02:00', endTime: '2023-09-14T08:15+02:00' });
      movePhotos(c, ids(['u2.jpg']), u); // regrouping recomputes times from photos: none have one, so the typed time stays
      expect(getEncounter(c, u)).toMatchObject({ photos: 2, startTime: '2023-09-14T08:15+02:00' });

      // All or nothing: one bad id or value changes none.
      expect(() => updateEncounters(c, [a, 9999], { location: 'x' })).toThrow(/no encounter 9999/);
      expect(() => updateEncounters(c, [a, u], { latitude: 10 })).toThrow(/latitude and longitude together/);
      expect(() => updateEncounters(c, [a, u], { code: 'X' })).toThrow(/one at a time/);
      expect(() => updateEncounters(c, [a, u], { startTime: '2024-07-01T10:00', endTime: '2024-06-30' })).toThrow(/before startTime/);
      expect(getEncounter(c, a).location).toBeNull();

      // Sightings: an identified photo takes the encounter's typed date and place when it has none.
      const ind = Number(c.db.prepare("INSERT INTO individuals(code) VALUES ('HW-1')").run().lastInsertRowid);
      for (const [pid] of [ids(['u1.jpg']), ids(['a.jpg'])]) c.db.prepare('INSERT INTO annotations(photo_id, x, y, w, h, individual_id) VALUES (?, 0, 0, 10, 10, ?)').run(pid, ind);
      const s = listSightings(c, { individualId: ind });
      expect(s.items.map((x) => [x.date, x.latitude, x.longitude, x.encounterId])).toEqual([
        ['2023-09-14T08:15+02:00', 42.25, -70.33, u],
        ['2024-07-01T10:00:00', 42.25, -70.33, a],
      ]);
      expect(listSightings(c, { from: '2024-01-01' }).items.map((x) => x.encounterId)).toEqual([a]);
      expect(listSightings(c, { to: '2023-12-31' }).items.map((x) => x.encounterId)).toEqual([u]);
      expect(listSightings(c, { encounterId: a }).items).toHaveLength(1);
      expect(() => listSightings(c, { from: '14/09/2023' })).toThrow(/from '14\/09\/2023' is not a date/);
    });
  });

  it('an encounter named by a labels sighting takes its times and place from its photos', async () => {
    const dir = tmpDir();
    await makePhoto(path.join(dir, 'a.jpg'), { taken: '2024:07:01 10:00:00', offset: '-04:00', gps: { lat: 42.2, lon: -70.3 }, seed: 1 });
    await makePhoto(path.join(dir, 'b.jpg'), { taken: '2024:07:01 10:20:00', offset: '-04:00', gps: { lat: 42.4, lon: -70.1 }, seed: 2 });
    fs.writeFileSync(path.join(dir, 'labels.csv'), 'image,individual,side,sighting\na.jpg,HW-1,left,S1\nb.jpg,HW-1,left,S1\n');
    const file = path.join(tmpDir(), 'cat.sqlite');
    await importInto(file, { paths: [dir], labels: path.join(dir, 'labels.csv') });
    withCatalog(file, (c) => {
      const [e] = listEncounters(c).items;
      expect(e).toMatchObject({ code: 'S1', photos: 2, startTime: '2024-07-01T10:00:00-04:00', endTime: '2024-07-01T10:20:00-04:00' });
      expect(e.latitude).toBeCloseTo(42.3, 6);
      expect(e.longitude).toBeCloseTo(-70.2, 6);
    });
  });
});
