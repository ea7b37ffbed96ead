import type { Catalog } from '../store/catalog';
import type { AnnotationIdentity } from '../store/annotations';
import { UserError } from '../util/errors';
import { reviewerOf } from './decision-log';

/** What the decision log keeps of an annotation before a decision (`prev`), for undo. */
export type AnnotationState = AnnotationIdentity;

export function annotationState(catalog: Catalog, annotationId: number): AnnotationState {
  const s = catalog.store.annotations.identity(annotationId);
  if (!s) throw new UserError(`no annotation ${annotationId}`, 'not-found');
  return s;
}

export function liveIndividual(catalog: Catalog, id: number, field = 'individualId'): { id: number; code: string } {
  const ind = catalog.store.individuals.byId(id);
  if (!ind) throw new UserError(`${field}: no individual ${id}`, 'not-found');
  if (ind.mergedInto != null) throw new UserError(`${field}: ${ind.code} was merged into another individual`, 'merged');
  return { id: ind.id, code: ind.code };
}

/** Gives an annotation to an individual, stamped with the reviewer; returns the state before. */
export function assign(catalog: Catalog, annotationId: number, individualId: number): AnnotationState {
  const prev = annotationState(catalog, annotationId);
  catalog.store.annotations.identify(annotationId, individualId, reviewerOf(catalog));
  return prev;
}

export function restore(catalog: Catalog, annotationId: number, prev: AnnotationState): void {
  catalog.store.annotations.restoreIdentity(annotationId, prev);
}
