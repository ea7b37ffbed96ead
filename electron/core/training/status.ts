import type { Catalog } from '../store/catalog';
import { backboneOf } from '../vision/models-table';

/** How much confirmed identity data there is for training (with and without stored features). */
export function trainingStatus(catalog: Catalog): { individuals: number; annotations: number; withoutFeatures: number; activeModel: string | null } {
  const store = catalog.store;
  const activeModel = store.models.active()?.id ?? null;
  let backbone: string | null = null;
  try {
    backbone = backboneOf(catalog);
  } catch {
    backbone = null;
  }
  const r = store.embeddings.trainingCounts(backbone);
  const all = store.annotations.identifiedCount();
  return { individuals: r.individuals, annotations: r.annotations, withoutFeatures: all - r.annotations, activeModel };
}
