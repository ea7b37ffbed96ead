import type { AnnotationView } from '../../contract';
import type { Catalog } from '../store/catalog';

export function annotationView(catalog: Catalog, annotationId: number): AnnotationView | null {
  return catalog.store.annotations.view(annotationId) ?? null;
}

export function annotationViews(catalog: Catalog, ids: number[]): Map<number, AnnotationView> {
  return catalog.store.annotations.views(ids);
}
