import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { parseDevice, type Device } from '../vision/providers';

/**
 * The device search runs on: the catalog's device setting, as the embedding engine reads it.
 * A value the engine does not know (e.g. 'gpu' from an older or newer settings screen) means
 * 'auto' here: search must never fail over where it runs.
 */
export function searchDevice(catalog: Catalog): Device {
  const value = getSetting(catalog, 'device');
  if (value === 'gpu') return 'auto';
  try {
    return parseDevice(value, "setting 'device'");
  } catch {
    return 'auto';
  }
}
