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
  const store = catalog.store;
  const rows = store.photos.timed();
  if (!rows.some((r) => r.encounter === null)) return [];
  const photos: TimedPhoto[] = rows
    .map((r) => ({ id: r.id, t: timeOf(r.at), lat: r.lat, lon: r.lon, encounter: r.encounter }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t || a.id - b.id);

  const gapMs = opts.gapMinutes * 60_000;
  const linked = (a: TimedPhoto, b: TimedPhoto) =>
    b.t - a.t < gapMs && (a.lat === null || a.lon === null || b.lat === null || b.lon === null || haversineKm(a.lat, a.lon, b.lat, b.lon) <= opts.maxKm);

  const touched = new Set<number>();
  store.transaction(() => {
    let start = 0;
    for (let i = 1; i <= photos.length; i++) {
      if (i < photos.length && linked(photos[i - 1], photos[i])) continue;
      const chain = photos.slice(start, i);
      start = i;
      if (!chain.some((p) => p.encounter === null)) continue;
      if (!chain.some((p) => p.encounter !== null)) {
        const id = store.encounters.create();
        for (const p of chain) p.encounter = id;
      } else {
        // Each new photo joins its nearest placed neighbour along the chain: forwards, then the leading ones backwards.
        for (let k = 1; k < chain.length; k++) if (chain[k].encounter === null) chain[k].encounter = chain[k - 1].encounter;
        for (let k = chain.length - 2; k >= 0; k--) if (chain[k].encounter === null) chain[k].encounter = chain[k + 1].encounter;
      }
      for (const p of chain) {
        if (store.photos.joinEncounterIfNone(p.id, p.encounter!)) touched.add(p.encounter!);
      }
    }
  });
  const ids = [...touched];
  refreshEncounters(catalog, ids);
  return ids;
}

/** An encounter's times (and place, when its photos carry GPS) from its photos; times typed for undated photos are kept. */
export function refreshEncounters(catalog: Catalog, ids: number[]): void {
  catalog.store.encounters.refreshFromPhotos(ids);
}

/** `...Z` is UTC; a time without offset is the camera's local time, ordered as if it were UTC. */
function timeOf(at: string): number {
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(at) ? at : `${at}Z`);
}
