import { geoMercator, type GeoProjection } from 'd3-geo';

export interface LatLon {
  latitude: number;
  longitude: number;
}

/** The least span shown, in degrees: a single sighting gets its coast around it (~100 km), not a blank zoom. */
const MIN_SPAN = 1;

/**
 * A Mercator projection fitted to the given places (padded), or to the inhabited world when
 * there are none. Mercator keeps shapes and bearings true locally, which is how charts of a
 * survey area are read; sightings beyond 80 degrees are clamped by d3 as usual.
 */
export function fitProjection(places: LatLon[], width: number, height: number, pad = 24): GeoProjection {
  let w = -180,
    e = 180,
    s = -58,
    n = 78;
  if (places.length) {
    const lats = places.map((p) => p.latitude);
    const lons = places.map((p) => p.longitude);
    [s, n, w, e] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
    const growLat = Math.max(0, MIN_SPAN - (n - s)) / 2 + (n - s) * 0.1;
    const growLon = Math.max(0, MIN_SPAN - (e - w)) / 2 + (e - w) * 0.1;
    [s, n, w, e] = [Math.max(-85, s - growLat), Math.min(85, n + growLat), w - growLon, e + growLon];
  }
  const box = { type: 'MultiPoint' as const, coordinates: [[w, s], [e, n], [w, n], [e, s]] };
  // Clipped a frame's width around the view: what panning can reach, and far less to draw than the whole world.
  return geoMercator()
    .fitExtent([[pad, pad], [width - pad, height - pad]], box)
    .clipExtent([[-width, -height], [2 * width, 2 * height]]);
}
