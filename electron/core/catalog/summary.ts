import type { CatalogSummary } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from './settings';

export function catalogSummary(catalog: Catalog): CatalogSummary {
  const store = catalog.store;
  const active = store.models.active()?.id ?? null;
  return {
    file: catalog.file,
    schemaVersion: catalog.schemaVersion,
    individuals: store.individuals.countLive(),
    photos: store.photos.count(),
    annotations: store.annotations.count(),
    identified: store.annotations.countIdentified(),
    embeddings: active ? store.embeddings.count(active) : 0,
    encounters: store.encounters.count(),
    activeModel: active,
    species: getSetting(catalog, 'species'),
    bodyPart: getSetting(catalog, 'bodyPart'),
  };
}
