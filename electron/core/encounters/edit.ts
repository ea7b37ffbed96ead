import type { Encounter, EncounterPatch, Page } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { refreshEncounters } from './group';

const SELECT = `SELECT e.*, (SELECT COUNT(*) FROM photos p WHERE p.encounter_id = e.id) AS n_photos,
  (SELECT p.id FROM photos p WHERE p.encounter_id = e.id ORDER BY p.taken_at_utc IS NULL, p.taken_at_utc, p.id LIMIT 1) AS cover
  FROM encounters e`;

type Row = {
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

const toEncounter = (r: Row): Encounter => ({
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

/** Newest first (undated ones last). */
export function listEncounters(catalog: Catalog, q: { offset?: number; limit?: number } = {}): Page<Encounter> {
  const limit = Math.max(1, Math.min(1000, Math.floor(q.limit ?? 100)));
  const offset = Math.max(0, Math.floor(q.offset ?? 0));
  const total = catalog.db.prepare('SELECT COUNT(*) FROM encounters').pluck().get() as number;
  const rows = catalog.db.prepare(`${SELECT} ORDER BY e.start_time IS NULL, e.start_time DESC, e.id DESC LIMIT ? OFFSET ?`).all(limit, offset) as Row[];
  return { total, items: rows.map(toEncounter) };
}

export function getEncounter(catalog: Catalog, id: number): Encounter {
  const r = catalog.db.prepare(`${SELECT} WHERE e.id = ?`).get(id) as Row | undefined;
  if (!r) throw new UserError(`no encounter ${id}`, 'not-found');
  return toEncounter(r);
}

const EDITABLE: Record<keyof EncounterPatch, string> = {
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

/**
 * A local date-time as field notes give it: `YYYY-MM-DDTHH:MM[:SS]` with an optional UTC offset
 * (`Z` or `+HH:MM`); a bare date is accepted too. Text order must stay time order within one
 * offset, so nothing else is taken.
 */
const LOCAL_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?)?$/;

function checkPatch(patch: EncounterPatch): Array<keyof EncounterPatch> {
  if (!patch || typeof patch !== 'object') throw new UserError('patch: give the fields to change', 'bad-request');
  const keys = Object.keys(patch) as Array<keyof EncounterPatch>;
  for (const k of keys) if (!(k in EDITABLE)) throw new UserError(`encounter field '${k}' cannot be edited`, 'bad-request');
  for (const k of ['latitude', 'longitude'] as const) {
    const v = patch[k];
    if (v != null && (typeof v !== 'number' || !Number.isFinite(v))) throw new UserError(`${k} must be a number`, 'bad-request');
  }
  if (patch.latitude != null && !(Math.abs(patch.latitude) <= 90)) throw new UserError('latitude must be between -90 and 90', 'bad-request');
  if (patch.longitude != null && !(Math.abs(patch.longitude) <= 180)) throw new UserError('longitude must be between -180 and 180', 'bad-request');
  if (('latitude' in patch) !== ('longitude' in patch) || (patch.latitude == null) !== (patch.longitude == null)) {
    if ('latitude' in patch || 'longitude' in patch) throw new UserError('give latitude and longitude together (or clear both)', 'bad-request');
  }
  for (const k of ['startTime', 'endTime'] as const) {
    const v = patch[k];
    if (v != null && (typeof v !== 'string' || !LOCAL_TIME.test(v.trim())))
      throw new UserError(`${k} '${v}' is not a date-time like 2024-07-03T10:42+02:00 (date, time, optional UTC offset)`, 'bad-request');
  }
  const start = patch.startTime?.trim();
  const end = patch.endTime?.trim();
  if (start && end && utcOf(end) < utcOf(start)) throw new UserError(`endTime ${end} is before startTime ${start}`, 'bad-request');
  return keys;
}

/** For comparing two edited times; a time without offset counts as UTC (the camera's clock). */
const utcOf = (t: string) => Date.parse(/T/.test(t) ? (/(Z|[+-]\d{2}:\d{2})$/.test(t) ? t : `${t}Z`) : `${t}T00:00Z`);

function applyPatch(catalog: Catalog, id: number, keys: Array<keyof EncounterPatch>, patch: EncounterPatch): void {
  if (!keys.length) return;
  const sets = keys.map((k) => `${EDITABLE[k]} = @${k}`).join(', ');
  const values = Object.fromEntries(keys.map((k) => [k, typeof patch[k] === 'string' ? (patch[k] as string).trim() || null : (patch[k] ?? null)]));
  // A new start with no end given: the end follows, so an encounter never ends before it starts.
  const follow = 'startTime' in patch && !('endTime' in patch) ? ', end_time = CASE WHEN end_time IS NULL OR end_time < @startTime THEN @startTime ELSE end_time END' : '';
  catalog.db.prepare(`UPDATE encounters SET ${sets}${follow} WHERE id = @id`).run({ ...values, id });
}

/**
 * Edits one encounter. Times are the encounter's own (local, with offset when known): photos with
 * no capture time take them in exports; photos that carry one set the times again when the
 * encounter's photos change.
 */
export function updateEncounter(catalog: Catalog, id: number, patch: EncounterPatch): Encounter {
  getEncounter(catalog, id);
  const keys = checkPatch(patch);
  if (patch.code) {
    const other = catalog.db.prepare('SELECT id FROM encounters WHERE code = ? AND id <> ?').pluck().get(patch.code, id);
    if (other) throw new UserError(`encounter code '${patch.code}' is already used by encounter ${other}`, 'conflict');
  }
  applyPatch(catalog, id, keys, patch);
  return getEncounter(catalog, id);
}

/** The same fields on many encounters at once (a day's sightings given one date and place), all or nothing. */
export function updateEncounters(catalog: Catalog, ids: number[], patch: EncounterPatch): Encounter[] {
  if (!Array.isArray(ids) || !ids.length || ids.some((i) => !Number.isInteger(i))) throw new UserError('ids: give the encounters to edit', 'bad-request');
  const unique = [...new Set(ids)];
  const keys = checkPatch(patch);
  if (keys.includes('code') && unique.length > 1) throw new UserError('code: each encounter has its own code; edit them one at a time', 'bad-request');
  for (const id of unique) getEncounter(catalog, id);
  catalog.db.transaction(() => {
    for (const id of unique) applyPatch(catalog, id, keys, patch);
  })();
  return unique.map((id) => getEncounter(catalog, id));
}

/**
 * Moves every photo of the sources into the target and removes the emptied sources. The
 * target keeps its own code and notes; a source's notes are appended so nothing typed is lost.
 */
export function mergeEncounters(catalog: Catalog, targetId: number, sourceIds: number[]): Encounter {
  getEncounter(catalog, targetId);
  const sources = [...new Set(sourceIds)].filter((s) => s !== targetId);
  if (!sources.length) throw new UserError('nothing to merge: give other encounters than the target', 'bad-request');
  for (const s of sources) getEncounter(catalog, s);
  const db = catalog.db;
  db.transaction(() => {
    for (const s of sources) {
      const src = getEncounter(catalog, s);
      db.prepare('UPDATE photos SET encounter_id = ? WHERE encounter_id = ?').run(targetId, s);
      if (src.notes) db.prepare("UPDATE encounters SET notes = CASE WHEN COALESCE(notes, '') = '' THEN @n ELSE notes || char(10) || @n END WHERE id = @id").run({ n: src.notes, id: targetId });
      db.prepare('UPDATE encounters SET location = COALESCE(location, ?), observer = COALESCE(observer, ?), platform = COALESCE(platform, ?) WHERE id = ?').run(
        src.location, src.observer, src.platform, targetId,
      );
      db.prepare('DELETE FROM encounters WHERE id = ?').run(s);
      // A sighting id is an external reference: the merged encounter carries it when it had none.
      if (src.code) db.prepare('UPDATE encounters SET code = COALESCE(code, ?) WHERE id = ?').run(src.code, targetId);
    }
    refreshEncounters(catalog, [targetId]);
  })();
  return getEncounter(catalog, targetId);
}

/** Moves photos into an encounter, or into a new one (`encounterId` null): how an encounter is split. Emptied encounters are removed. */
export function movePhotos(catalog: Catalog, photoIds: number[], encounterId: number | null): Encounter {
  if (!Array.isArray(photoIds) || !photoIds.length) throw new UserError('no photos to move', 'bad-request');
  if (encounterId !== null) getEncounter(catalog, encounterId);
  const db = catalog.db;
  let target = encounterId;
  db.transaction(() => {
    const from = new Set<number>();
    for (const id of photoIds) {
      const p = db.prepare('SELECT encounter_id FROM photos WHERE id = ?').get(id) as { encounter_id: number | null } | undefined;
      if (!p) throw new UserError(`no photo ${id}`, 'not-found');
      if (p.encounter_id !== null) from.add(p.encounter_id);
    }
    if (target === null) target = Number(db.prepare('INSERT INTO encounters DEFAULT VALUES').run().lastInsertRowid);
    const move = db.prepare('UPDATE photos SET encounter_id = ? WHERE id = ?');
    for (const id of photoIds) move.run(target, id);
    from.delete(target);
    for (const e of from) {
      const left = db.prepare('SELECT COUNT(*) FROM photos WHERE encounter_id = ?').pluck().get(e) as number;
      if (!left) db.prepare('DELETE FROM encounters WHERE id = ?').run(e);
    }
    refreshEncounters(catalog, [target, ...from].filter((e) => db.prepare('SELECT 1 FROM encounters WHERE id = ?').get(e)));
  })();
  return getEncounter(catalog, target!);
}
