import type { Encounter, EncounterPatch, Page } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { refreshEncounters } from './group';

/** Newest first (undated ones last). */
export function listEncounters(catalog: Catalog, q: { offset?: number; limit?: number } = {}): Page<Encounter> {
  const limit = Math.max(1, Math.min(1000, Math.floor(q.limit ?? 100)));
  const offset = Math.max(0, Math.floor(q.offset ?? 0));
  return catalog.store.encounters.page(offset, limit);
}

export function getEncounter(catalog: Catalog, id: number): Encounter {
  const e = catalog.store.encounters.byId(id);
  if (!e) throw new UserError(`no encounter ${id}`, 'not-found');
  return e;
}

const EDITABLE: Record<keyof EncounterPatch, true> = {
  code: true,
  startTime: true,
  endTime: true,
  location: true,
  observer: true,
  platform: true,
  notes: true,
  latitude: true,
  longitude: true,
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
  const values = Object.fromEntries(keys.map((k) => [k, typeof patch[k] === 'string' ? (patch[k] as string).trim() || null : (patch[k] ?? null)])) as EncounterPatch;
  // A new start with no end given: the end follows, so an encounter never ends before it starts.
  catalog.store.encounters.update(id, values, 'startTime' in patch && !('endTime' in patch));
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
    const other = catalog.store.encounters.withCode(patch.code, id);
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
  catalog.store.transaction(() => {
    for (const id of unique) applyPatch(catalog, id, keys, patch);
  });
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
  const store = catalog.store;
  store.transaction(() => {
    for (const s of sources) {
      const src = getEncounter(catalog, s);
      store.photos.moveAllBetweenEncounters(s, targetId);
      store.encounters.absorb(targetId, src);
    }
    refreshEncounters(catalog, [targetId]);
  });
  return getEncounter(catalog, targetId);
}

/** Moves photos into an encounter, or into a new one (`encounterId` null): how an encounter is split. Emptied encounters are removed. */
export function movePhotos(catalog: Catalog, photoIds: number[], encounterId: number | null): Encounter {
  if (!Array.isArray(photoIds) || !photoIds.length) throw new UserError('no photos to move', 'bad-request');
  if (encounterId !== null) getEncounter(catalog, encounterId);
  const store = catalog.store;
  let target = encounterId;
  store.transaction(() => {
    const from = new Set<number>();
    for (const id of photoIds) {
      const enc = store.photos.encounterOf(id);
      if (enc === undefined) throw new UserError(`no photo ${id}`, 'not-found');
      if (enc !== null) from.add(enc);
    }
    if (target === null) target = store.encounters.create();
    for (const id of photoIds) store.photos.moveToEncounter(id, target);
    from.delete(target);
    for (const e of from) {
      if (!store.photos.countInEncounter(e)) store.encounters.delete(e);
    }
    refreshEncounters(catalog, [target, ...from].filter((e) => store.encounters.exists(e)));
  });
  return getEncounter(catalog, target!);
}
