import type { DecideParams, DecideResult, DecisionInfo } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { annotationState, assign, liveIndividual, restore, type AnnotationState } from './assign';
import { createIndividual } from './codes';
import { activeModelId, logDecision, readDecision } from './decision-log';

/** One review decision, applied and logged in one transaction. */
export function decide(catalog: Catalog, p: DecideParams): DecideResult {
  if (!Number.isInteger(p.annotationId)) throw new UserError('annotationId must be an integer', 'bad-request');
  return catalog.store.transaction((): DecideResult => {
    const modelId = p.modelId ?? activeModelId(catalog);
    const base = { annotationId: p.annotationId, modelId, rank: p.rank ?? null, score: p.score ?? null };
    switch (p.action) {
      case 'confirm': {
        const ind = liveIndividual(catalog, requireId(p.individualId));
        const prev = assign(catalog, p.annotationId, ind.id);
        const id = logDecision(catalog, { ...base, individualId: ind.id, decision: 'confirm', details: { prev } });
        return { decision: readDecision(catalog, id), individual: ind };
      }
      case 'reject': {
        const ind = liveIndividual(catalog, requireId(p.individualId));
        const prev = annotationState(catalog, p.annotationId);
        const id = logDecision(catalog, { ...base, individualId: ind.id, decision: 'reject', details: { prev } });
        return { decision: readDecision(catalog, id), individual: null };
      }
      case 'new': {
        annotationState(catalog, p.annotationId);
        const created = createIndividual(catalog);
        const prev = assign(catalog, p.annotationId, created.id);
        // individual_id stays NULL in the log so that undo can remove the individual again.
        const id = logDecision(catalog, { ...base, individualId: null, decision: 'new', details: { prev, created } });
        return { decision: readDecision(catalog, id), individual: created };
      }
      case 'skip': {
        const prev = annotationState(catalog, p.annotationId);
        const id = logDecision(catalog, { ...base, individualId: null, decision: 'skip', details: { prev } });
        return { decision: readDecision(catalog, id), individual: null };
      }
      default:
        throw new UserError(`action must be confirm, reject, new or skip (got ${JSON.stringify((p as { action: unknown }).action)})`, 'bad-request');
    }
  });
}

function requireId(id: number | undefined): number {
  if (!Number.isInteger(id)) throw new UserError('individualId is required for confirm and reject', 'bad-request');
  return id as number;
}

/**
 * Undoes a decision (default: the newest not undone) together with the decisions logged in the
 * same group (a merge logs one per photo). Restores each annotation exactly as it was, puts
 * back a merged individual, removes an individual the decision created when nothing else
 * refers to it, and marks the decisions undone; the log itself is never edited otherwise.
 */
export function undo(catalog: Catalog, decisionId?: number): DecisionInfo[] {
  const store = catalog.store;
  return store.transaction((): DecisionInfo[] => {
    const target = decisionId !== undefined ? store.decisions.byId(decisionId) : store.decisions.newestLive();
    if (!target) throw new UserError(decisionId !== undefined ? `no decision ${decisionId}` : 'nothing to undo', 'not-found');
    if (target.undoneAt) throw new UserError(`decision ${target.id} was already undone`, 'already-undone');
    const group = target.details?.group as string | undefined;
    const members = group ? store.decisions.liveInGroup(group) : [target];
    const ids = new Set(members.map((m) => m.id));
    for (const d of members) {
      const later = store.decisions.laterAssignments(d.annotationId, d.id);
      const blocking = later.filter((l) => !ids.has(l));
      if (blocking.length) throw new UserError(`annotation ${d.annotationId} was changed again later (decision ${blocking[0]}): undo that first`, 'undo-order');
    }
    for (const d of members) {
      const details = d.details ?? {};
      if (d.decision === 'rename') {
        store.individuals.restoreName(details.individualId as number, (details.prevName as string | null | undefined) ?? null);
      } else if (details.prev && d.decision !== 'reject' && d.decision !== 'skip') {
        restore(catalog, d.annotationId, details.prev as AnnotationState);
      }
      store.decisions.markUndone(d.id);
    }
    for (const d of members) {
      const details = d.details ?? {};
      if (d.decision === 'merge' && typeof details.from === 'number') {
        store.individuals.setMergedInto(details.from, null);
      }
      const created = details.created as { id: number } | undefined;
      if (created) removeIfUnreferenced(catalog, created.id);
    }
    return members.map((m) => readDecision(catalog, m.id));
  });
}

function removeIfUnreferenced(catalog: Catalog, id: number): void {
  if (!catalog.store.individuals.isReferenced(id)) catalog.store.individuals.delete(id);
}
