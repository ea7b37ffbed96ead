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
  const where = ['a.individual_id IS NOT NULL'];
  if (filter.individualId != null) where.push('a.individual_id = @individualId');
  if (filter.encounterId != null) where.push('p.encounter_id = @encounterId');
  const rows = catalog.db
    .prepare(
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
    )
    .all({ individualId: filter.individualId ?? null, encounterId: filter.encounterId ?? null }) as Array<Sighting & { sortKey: string | null }>;
  const inRange = (d: string | null) => (!filter.from || (d !== null && d.slice(0, 10) >= filter.from)) && (!filter.to || (d !== null && d.slice(0, 10) <= filter.to));
  const items = rows.filter((r) => inRange(r.date)).map(({ sortKey: _, ...s }) => s);
  return { items, undated: items.filter((s) => !s.date).length, withoutPlace: items.filter((s) => s.latitude == null || s.longitude == null).length };
}
