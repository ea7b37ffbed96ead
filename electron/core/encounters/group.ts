import type { Catalog } from '../store/catalog';
import { haversineKm } from '../util/geo';

export interface GroupingOptions {
  /** Consecutive photos further apart in time start a new encounter. */
  gapMinutes: number;
  /** ... and, when both carry GPS, further apart than this. */
  maxKm: number;
}

interface TimedPhoto {
  id: number;
  t: number;
  lat: number | null;
  lon: number | null;
  encounter: number | null;
}

/**
 * Puts every photo that has a capture time but no encounter into one. Photos are taken in time
 * order; two consecutive photos belong together when they are less than `gapMinutes` apart and,
 * when both carry GPS, within `maxKm`. A chain that touches an existing encounter joins it (the
 * second card of the same boat trip lands with the first); a chain of new photos only becomes a
 * new encounter. Photos already in an encounter are never moved. Returns the encounters touched.
 */
export function groupEncounters(catalog: Catalog, opts: GroupingOptions): number[] {
  const db = catalog.db;
  const rows = db
    .prepare('SELECT id, taken_at_utc AS at, latitude AS lat, longitude AS lon, encounter_id AS encounter FROM photos WHERE taken_at_utc IS NOT NULL')
    .all() as Array<{ id: number; at: string; lat: number | null; lon: number | null; encounter: number | null }>;
  if (!rows.some((r) => r.encounter === null)) return [];
  const photos: TimedPhoto[] = rows
    .map((r) => ({ id: r.id, t: timeOf(r.at), lat: r.lat, lon: r.lon, encounter: r.encounter }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t || a.id - b.id);

  const gapMs = opts.gapMinutes * 60_000;
  const linked = (a: TimedPhoto, b: TimedPhoto) =>
    b.t - a.t < gapMs && (a.lat === null || a.lon === null || b.lat === null || b.lon === null || haversineKm(a.lat, a.lon, b.lat, b.lon) <= opts.maxKm);

  const touched = new Set<number>();
  const newEncounter = db.prepare('INSERT INTO encounters DEFAULT VALUES');
  const assign = db.prepare('UPDATE photos SET encounter_id = ? WHERE id = ? AND encounter_id IS NULL');
  db.transaction(() => {
    let start = 0;
    for (let i = 1; i <= photos.length; i++) {
      if (i < photos.length && linked(photos[i - 1], photos[i])) continue;
      const chain = photos.slice(start, i);
      start = i;
      if (!chain.some((p) => p.encounter === null)) continue;
      if (!chain.some((p) => p.encounter !== null)) {
        const id = Number(newEncounter.run().lastInsertRowid);
        for (const p of chain) p.encounter = id;
      } else {
        // Each new photo joins its nearest placed neighbour along the chain: forwards, then the leading ones backwards.
        for (let k = 1; k < chain.length; k++) if (chain[k].encounter === null) chain[k].encounter = chain[k - 1].encounter;
        for (let k = chain.length - 2; k >= 0; k--) if (chain[k].encounter === null) chain[k].encounter = chain[k + 1].encounter;
      }
      for (const p of chain) {
        if (assign.run(p.encounter, p.id).changes) touched.add(p.encounter!);
      }
    }
  })();
  const ids = [...touched];
  refreshEncounters(catalog, ids);
  return ids;
}

/** An encounter's times (and place, when its photos carry GPS) from its photos; times typed for undated photos are kept. */
export function refreshEncounters(catalog: Catalog, ids: number[]): void {
  const update = catalog.db.prepare(
    `UPDATE encounters SET
       start_time = COALESCE((SELECT MIN(taken_at) FROM photos WHERE encounter_id = encounters.id AND taken_at_utc =
                      (SELECT MIN(taken_at_utc) FROM photos WHERE encounter_id = encounters.id)), start_time),
       end_time   = COALESCE((SELECT MAX(taken_at) FROM photos WHERE encounter_id = encounters.id AND taken_at_utc =
                      (SELECT MAX(taken_at_utc) FROM photos WHERE encounter_id = encounters.id)), end_time),
       latitude   = COALESCE((SELECT AVG(latitude) FROM photos WHERE encounter_id = encounters.id AND latitude IS NOT NULL AND longitude IS NOT NULL), latitude),
       longitude  = COALESCE((SELECT AVG(longitude) FROM photos WHERE encounter_id = encounters.id AND latitude IS NOT NULL AND longitude IS NOT NULL), longitude)
     WHERE id = ?`,
  );
  catalog.db.transaction(() => {
    for (const id of ids) update.run(id);
  })();
}

/** `...Z` is UTC; a time without offset is the camera's local time, ordered as if it were UTC. */
function timeOf(at: string): number {
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(at) ? at : `${at}Z`);
}
