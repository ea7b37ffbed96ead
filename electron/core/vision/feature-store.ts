import type { Catalog } from '../store/catalog';


/** Stores views of one annotation's backbone features (replacing any earlier ones), at `indices` (default 0, 1, ...). */
export function storeFeatures(catalog: Catalog, annotationId: number, backboneId: string, views: Float32Array[], indices?: number[]): void {
  catalog.store.embeddings.putFeatures(annotationId, backboneId, views, indices);
}
