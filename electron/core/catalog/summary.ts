import type { CatalogSummary } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from './settings';

export function catalogSummary(catalog: Catalog): CatalogSummary {
  const db = catalog.db;
  const count = (sql: string): number => (db.prepare(sql).pluck().get() as number) ?? 0;
  const active = db.prepare('SELECT id FROM models WHERE active = 1').pluck().get() as string | undefined;
  return {
    file: catalog.file,
    schemaVersion: catalog.schemaVersion,
    individuals: count('SELECT COUNT(*) FROM individuals WHERE merged_into IS NULL'),
    photos: count('SELECT COUNT(*) FROM photos'),
    annotations: count('SELECT COUNT(*) FROM annotations'),
    identified: count('SELECT COUNT(*) FROM annotations WHERE individual_id IS NOT NULL'),
    embeddings: active ? (db.prepare('SELECT COUNT(*) FROM embeddings WHERE model_id = ?').pluck().get(active) as number) : 0,
    encounters: count('SELECT COUNT(*) FROM encounters'),
    activeModel: active ?? null,
    species: getSetting(catalog, 'species'),
    bodyPart: getSetting(catalog, 'bodyPart'),
  };
}
