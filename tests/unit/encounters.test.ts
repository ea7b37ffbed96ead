import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from '../../electron/core/catalog/catalog';
import { getEncounter, listEncounters, mergeEncounters, movePhotos, updateEncounter } from '../../electron/core/encounters/edit';
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
    withCatalog(file, (c) => c.setSetting('encounterGapMinutes', 20));
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
      expect(() => updateEncounter(c, p, { startTime: 'x' } as never)).toThrow(/cannot be edited/);

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
});
