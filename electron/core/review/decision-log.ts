import type { DecisionInfo, DecisionKind } from '../../contract';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';

export interface NewDecision {
  annotationId: number;
  individualId: number | null;
  decision: DecisionKind;
  modelId?: string | null;
  rank?: number | null;
  score?: number | null;
  /** What undo needs: `prev` (the annotation before), `created`, `group`, `from`, ... */
  details: Record<string, unknown>;
}

export const reviewerOf = (catalog: Catalog): string | null => getSetting(catalog, 'reviewer') || null;

export const activeModelId = (catalog: Catalog): string | null => catalog.store.models.active()?.id ?? null;

/** Appends to the log (the table refuses edits); returns the new row's id. */
export function logDecision(catalog: Catalog, d: NewDecision): number {
  return catalog.store.decisions.log({
    annotationId: d.annotationId,
    individualId: d.individualId,
    decision: d.decision,
    reviewer: reviewerOf(catalog),
    modelId: d.modelId ?? null,
    rank: d.rank ?? null,
    score: d.score ?? null,
    details: d.details,
  });
}

export function readDecision(catalog: Catalog, id: number): DecisionInfo {
  return catalog.store.decisions.byId(id)!;
}
