import type { Sighting, SightingsFilter } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Identified individuals per encounter (a photo outside any encounter is its own sighting), in
 * date order: what the map and the timelines draw. Merged-away individuals have no photos left,
 * so they never appear.
 */
export function listSightings(catalog: Catalog, filter: SightingsFilter): { items: Sighting[]; undated: number; withoutPlace: number } {
  for (const k of ['from', 'to'] as const) {
    const v = filter[k];
    if (v != null && (typeof v !== 'string' || !DAY.test(v))) throw new UserError(`${k} '${v}' is not a date like 2024-07-03`, 'bad-request');
  }
  for (const k of ['individualId', 'encounterId'] as const) {
    const v = filter[k];
    if (v != null && !Number.isInteger(v)) throw new UserError(`${k} must be an id`, 'bad-request');
  }
  const rows = catalog.store.encounters.sightings({ individualId: filter.individualId, encounterId: filter.encounterId });
  const inRange = (d: string | null) => (!filter.from || (d !== null && d.slice(0, 10) >= filter.from)) && (!filter.to || (d !== null && d.slice(0, 10) <= filter.to));
  const items = rows.filter((r) => inRange(r.date)).map(({ sortKey: _, ...s }) => s);
  return { items, undated: items.filter((s) => !s.date).length, withoutPlace: items.filter((s) => s.latitude == null || s.longitude == null).length };
}
