import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { reviewerOf } from './decision-log';

export interface AnnotationState {
  individual_id: number | null;
  identified_by: string | null;
  identified_at: string | null;
}

export function annotationState(catalog: Catalog, annotationId: number): AnnotationState {
  const s = catalog.db.prepare('SELECT individual_id, identified_by, identified_at FROM annotations WHERE id = ?').get(annotationId) as AnnotationState | undefined;
  if (!s) throw new UserError(`no annotation ${annotationId}`, 'not-found');
  return s;
}

export function liveIndividual(catalog: Catalog, id: number, field = 'individualId'): { id: number; code: string } {
  const ind = catalog.db.prepare('SELECT id, code, merged_into FROM individuals WHERE id = ?').get(id) as { id: number; code: string; merged_into: number | null } | undefined;
  if (!ind) throw new UserError(`${field}: no individual ${id}`, 'not-found');
  if (ind.merged_into != null) throw new UserError(`${field}: ${ind.code} was merged into another individual`, 'merged');
  return { id: ind.id, code: ind.code };
}

/** Gives an annotation to an individual, stamped with the reviewer; returns the state before. */
export function assign(catalog: Catalog, annotationId: number, individualId: number): AnnotationState {
  const prev = annotationState(catalog, annotationId);
  catalog.db
    .prepare("UPDATE annotations SET individual_id = ?, identified_by = ?, identified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
    .run(individualId, reviewerOf(catalog), annotationId);
  return prev;
}

export function restore(catalog: Catalog, annotationId: number, prev: AnnotationState): void {
  catalog.db
    .prepare('UPDATE annotations SET individual_id = ?, identified_by = ?, identified_at = ? WHERE id = ?')
    .run(prev.individual_id, prev.identified_by, prev.identified_at, annotationId);
}
