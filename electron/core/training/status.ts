import type { Catalog } from '../store/catalog';
import { backboneOf } from './catalog-data';

/** How much confirmed identity data there is for training (with and without stored features). */
export function trainingStatus(catalog: Catalog): { individuals: number; annotations: number; withoutFeatures: number; activeModel: string | null } {
  const db = catalog.db;
  const activeModel = (db.prepare('SELECT id FROM models WHERE active = 1').pluck().get() as string | undefined) ?? null;
  let backbone: string | null = null;
  try {
    backbone = backboneOf(catalog);
  } catch {
    backbone = null;
  }
  const r = db
    .prepare(
      `SELECT COUNT(DISTINCT COALESCE(i.merged_into, a.individual_id)) AS individuals, COUNT(*) AS annotations
       FROM annotations a JOIN individuals i ON i.id = a.individual_id
       WHERE EXISTS (SELECT 1 FROM features f WHERE f.annotation_id = a.id AND f.backbone_id = ?)`,
    )
    .get(backbone) as { individuals: number; annotations: number };
  const all = db.prepare('SELECT COUNT(*) FROM annotations WHERE individual_id IS NOT NULL').pluck().get() as number;
  return { individuals: r.individuals, annotations: r.annotations, withoutFeatures: all - r.annotations, activeModel };
}
