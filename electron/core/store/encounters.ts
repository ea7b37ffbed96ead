import type { Encounter, EncounterPatch, Page, Sighting } from '../../contract';
import type { SqliteDb } from './sqlite';
import { statementCache } from './statements';

/** Encounters: one boat trip / sighting event grouping photos by time and place. */
export interface EncounterStore {
  /** Newest first (undated ones last). */
  page(offset: number, limit: number): Page<Encounter>;
  byId(id: number): Encounter | undefined;
  exists(id: number): boolean;
  /** The encounter other than `exceptId` that carries `code`, if any. */
  withCode(code: string, exceptId: number): number | undefined;
  /**
   * Writes the given fields (already checked and trimmed). With `endFollowsStart`, a new start
   * moves an end that would lie before it.
   */
  update(id: number, values: EncounterPatch, endFollowsStart: boolean): void;
  /** A new, empty encounter; returns its id. */
  create(): number;
  delete(id: number): void;
  /**
   * Takes over what the source encounter held beside its photos: its notes appended, its place,
   * observer and platform where the target has none, its code where the target has none; the
   * source is removed.
   */
  absorb(targetId: number, source: Encounter): void;
  /** An encounter's times (and place, when its photos carry GPS) from its photos; times typed for undated photos are kept. */
  refreshFromPhotos(ids: number[]): void;
  /** Identified individuals per encounter (a photo outside any encounter is its own sighting), by date. */
  sightings(filter: { individualId?: number | null; encounterId?: number | null }): Array<Sighting & { sortKey: string | null }>;
  count(): number;
  /** The encounter with this code (a sighting id from a labels file), created when new. */
  withCodeCreated(code: string): number;
}

const SELECT = `SELECT e.*, (SELECT COUNT(*) FROM photos p WHERE p.encounter_id = e.id) AS n_photos,
  (SELECT p.id FROM photos p WHERE p.encounter_id = e.id ORDER BY p.taken_at_utc IS NULL, p.taken_at_utc, p.id LIMIT 1) AS cover
  FROM encounters e`;

type EncounterRow = {
  id: number;
  code: string | null;
  start_time: string | null;
  end_time: string | null;
  latitude: number | null;
  longitude: number | null;
  location: string | null;
  observer: string | null;
  platform: string | null;
  notes: string | null;
  n_photos: number;
  cover: number | null;
};

const toEncounter = (r: EncounterRow): Encounter => ({
  id: r.id,
  code: r.code,
  startTime: r.start_time,
  endTime: r.end_time,
  latitude: r.latitude,
  longitude: r.longitude,
  location: r.location,
  observer: r.observer,
  platform: r.platform,
  notes: r.notes,
  photos: r.n_photos,
  coverPhotoId: r.cover,
});

const COLUMN: Record<keyof EncounterPatch, string> = {
  code: 'code',
  startTime: 'start_time',
  endTime: 'end_time',
  location: 'location',
  observer: 'observer',
  platform: 'platform',
  notes: 'notes',
  latitude: 'latitude',
  longitude: 'longitude',
};

export function sqliteEncounterStore(db: SqliteDb): EncounterStore {
  const q = statementCache(db);
  return {
    page(offset, limit) {
      const total = q('SELECT COUNT(*) FROM encounters').pluck().get() as number;
      const rows = q(`${SELECT} ORDER BY e.start_time IS NULL, e.start_time DESC, e.id DESC LIMIT ? OFFSET ?`).all(limit, offset) as EncounterRow[];
      return { total, items: rows.map(toEncounter) };
    },
    byId(id) {
      const r = q(`${SELECT} WHERE e.id = ?`).get(id) as EncounterRow | undefined;
      return r && toEncounter(r);
    },
    exists: (id) => Boolean(q('SELECT 1 FROM encounters WHERE id = ?').get(id)),
    withCode: (code, exceptId) => q('SELECT id FROM encounters WHERE code = ? AND id <> ?').pluck().get(code, exceptId) as number | undefined,
    update(id, values, endFollowsStart) {
      const keys = Object.keys(values) as Array<keyof EncounterPatch>;
      if (!keys.length) return;
      const sets = keys.map((k) => `${COLUMN[k]} = @${k}`).join(', ');
      const follow = endFollowsStart ? ', end_time = CASE WHEN end_time IS NULL OR end_time < @startTime THEN @startTime ELSE end_time END' : '';
      q(`UPDATE encounters SET ${sets}${follow} WHERE id = @id`).run({ ...values, id });
    },
    create: () => Number(q('INSERT INTO encounters DEFAULT VALUES').run().lastInsertRowid),
    delete(id) {
      q('DELETE FROM encounters WHERE id = ?').run(id);
    },
    absorb(targetId, src) {
      if (src.notes) q("UPDATE encounters SET notes = CASE WHEN COALESCE(notes, '') = '' THEN @n ELSE notes || char(10) || @n END WHERE id = @id").run({ n: src.notes, id: targetId });
      q('UPDATE encounters SET location = COALESCE(location, ?), observer = COALESCE(observer, ?), platform = COALESCE(platform, ?) WHERE id = ?').run(
        src.location, src.observer, src.platform, targetId,
      );
      q('DELETE FROM encounters WHERE id = ?').run(src.id);
      // A sighting id is an external reference: the merged encounter carries it when it had none.
      if (src.code) q('UPDATE encounters SET code = COALESCE(code, ?) WHERE id = ?').run(src.code, targetId);
    },
    refreshFromPhotos(ids) {
      const update = q(
        `UPDATE encounters SET
           start_time = COALESCE((SELECT MIN(taken_at) FROM photos WHERE encounter_id = encounters.id AND taken_at_utc =
                          (SELECT MIN(taken_at_utc) FROM photos WHERE encounter_id = encounters.id)), start_time),
           end_time   = COALESCE((SELECT MAX(taken_at) FROM photos WHERE encounter_id = encounters.id AND taken_at_utc =
                          (SELECT MAX(taken_at_utc) FROM photos WHERE encounter_id = encounters.id)), end_time),
           latitude   = COALESCE((SELECT AVG(latitude) FROM photos WHERE encounter_id = encounters.id AND latitude IS NOT NULL AND longitude IS NOT NULL), latitude),
           longitude  = COALESCE((SELECT AVG(longitude) FROM photos WHERE encounter_id = encounters.id AND latitude IS NOT NULL AND longitude IS NOT NULL), longitude)
         WHERE id = ?`,
      );
      db.transaction(() => {
        for (const id of ids) update.run(id);
      })();
    },
    sightings(filter) {
      const where = ['a.individual_id IS NOT NULL'];
      if (filter.individualId != null) where.push('a.individual_id = @individualId');
      if (filter.encounterId != null) where.push('p.encounter_id = @encounterId');
      return q(
        `SELECT a.individual_id AS individualId, i.code AS individualCode, p.encounter_id AS encounterId, e.code AS encounterCode,
                COALESCE(MIN(p.taken_at), e.start_time) AS date,
                COALESCE(MIN(p.taken_at_utc), e.start_time) AS sortKey,
                COALESCE(AVG(CASE WHEN p.longitude IS NOT NULL THEN p.latitude END), e.latitude) AS latitude,
                COALESCE(AVG(CASE WHEN p.latitude IS NOT NULL THEN p.longitude END), e.longitude) AS longitude,
                e.location AS location, COUNT(DISTINCT p.id) AS photos, MIN(p.id) AS photoId
         FROM annotations a JOIN photos p ON p.id = a.photo_id JOIN individuals i ON i.id = a.individual_id
         LEFT JOIN encounters e ON e.id = p.encounter_id
         WHERE ${where.join(' AND ')}
         GROUP BY a.individual_id, COALESCE('e' || p.encounter_id, 'p' || p.id)
         ORDER BY sortKey IS NULL, sortKey, i.code`,
      ).all({ individualId: filter.individualId ?? null, encounterId: filter.encounterId ?? null }) as Array<Sighting & { sortKey: string | null }>;
    },
    count: () => q('SELECT COUNT(*) FROM encounters').pluck().get() as number,
    withCodeCreated(code) {
      q('INSERT INTO encounters(code) VALUES (?) ON CONFLICT(code) DO NOTHING').run(code);
      return q('SELECT id FROM encounters WHERE code = ?').pluck().get(code) as number;
    },
  };
}
