import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { useEffect, useState } from 'react';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

export type Land = FeatureCollection<Polygon | MultiPolygon>;

let cached: Promise<Land> | null = null;

/**
 * Natural Earth land polygons at 1:50m (public domain), from the world-atlas package: bundled
 * with the app as their own chunk, loaded on the first map shown, never fetched from the network.
 */
export function loadLand(): Promise<Land> {
  cached ??= import('world-atlas/land-50m.json').then((m) => {
    const topo = (m.default ?? m) as unknown as Topology<{ land: GeometryCollection }>;
    return feature(topo, topo.objects.land) as Land;
  });
  return cached;
}

export function useLand(): Land | null {
  const [land, setLand] = useState<Land | null>(null);
  useEffect(() => {
    let live = true;
    void loadLand().then((l) => live && setLand(l));
    return () => {
      live = false;
    };
  }, []);
  return land;
}
