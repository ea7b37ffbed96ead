import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';

/**
 * Body parts whose embedding averages the crop with its mirror image (setting `flipAverage`,
 * comma-separated). A nyala flank's stripes read the same mirrored, and flip averaging measured
 * better there; a fluke's pattern is handed, so a mirror is a different animal.
 */
export function flipAverageParts(catalog: Catalog): Set<string> {
  const v = getSetting(catalog, 'flipAverage');
  return new Set(
    String(v)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}
