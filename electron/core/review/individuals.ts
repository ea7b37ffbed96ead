import crypto from 'node:crypto';
import type { DecideResult, DecisionInfo, IndividualListItem, IndividualPage } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import { annotationViews } from './annotation-view';
import { annotationState, assign, liveIndividual } from './assign';
import { createIndividual } from './codes';
import { logDecision, readDecision } from './decision-log';

/** Individuals in code order, a page at a time; `search` matches code or name anywhere. */
export function listIndividuals(catalog: Catalog, search = '', offset = 0, limit = 100): { total: number; offset: number; items: IndividualListItem[] } {
  limit = Math.max(1, Math.min(1000, Math.floor(limit)));
  offset = Math.max(0, Math.floor(offset));
  const like = `%${search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { total, items: rows } = catalog.store.individuals.page(like, offset, limit);
  const covers = annotationViews(catalog, rows.map((r) => r.cover).filter((c): c is number => c != null));
  return {
    total,
    offset,
    items: rows.map((r) => ({ ...r, cover: r.cover != null ? (covers.get(r.cover) ?? null) : null })),
  };
}

export function individualPage(catalog: Catalog, id: number): IndividualPage {
  const store = catalog.store;
  const ind = store.individuals.pageHeader(id);
  if (!ind) throw new UserError(`no individual ${id}`, 'not-found');
  const photos = store.annotations.viewsOfIndividual(id);
  const encounters = store.individuals.encountersOf(id);
  const history = store.decisions.aboutIndividual(id);
  return { individual: ind, photos, encounters, history };
}

/**
 * The log is per annotation, so a rename is logged against the individual's first photo; an
 * individual without photos is renamed without a log entry (there is nothing to attach it to).
 */
export function renameIndividual(catalog: Catalog, id: number, name: string): { decision: DecisionInfo | null } {
  if (typeof name !== 'string' || name.length > 200) throw new UserError('name must be text of at most 200 characters', 'bad-request');
  const store = catalog.store;
  return store.transaction(() => {
    const ind = liveIndividual(catalog, id, 'id');
    const prevName = store.individuals.byId(id)!.name;
    const clean = name.trim() || null;
    store.individuals.rename(ind.id, clean);
    const first = store.annotations.idsOfIndividual(id)[0] as number | undefined;
    if (first === undefined) return { decision: null };
    const did = logDecision(catalog, { annotationId: first, individualId: id, decision: 'rename', details: { individualId: id, prevName, name: clean } });
    return { decision: readDecision(catalog, did) };
  });
}

/** Every photo of `sourceId` goes to `targetId`; one 'merge' decision per photo, one group for undo. */
export function mergeIndividuals(catalog: Catalog, sourceId: number, targetId: number): { decisions: DecisionInfo[] } {
  if (sourceId === targetId) throw new UserError('cannot merge an individual into itself', 'bad-request');
  const store = catalog.store;
  return store.transaction(() => {
    const source = liveIndividual(catalog, sourceId, 'sourceId');
    const target = liveIndividual(catalog, targetId, 'targetId');
    const anns = store.annotations.idsOfIndividual(source.id);
    if (anns.length === 0) throw new UserError(`${source.code} has no photos: nothing to merge into ${target.code}`, 'empty');
    const group = `merge-${crypto.randomUUID()}`;
    const ids = anns.map((a) => {
      const prev = assign(catalog, a, target.id);
      return logDecision(catalog, { annotationId: a, individualId: target.id, decision: 'merge', details: { group, prev, from: source.id, into: target.id } });
    });
    store.individuals.setMergedInto(source.id, target.id);
    return { decisions: ids.map((i) => readDecision(catalog, i)) };
  });
}

/** One wrongly identified photo moves out: to another individual, or to a new one. */
export function splitAnnotation(catalog: Catalog, annotationId: number, toIndividualId?: number): DecideResult {
  return catalog.store.transaction((): DecideResult => {
    const before = annotationState(catalog, annotationId);
    if (before.individual_id == null) throw new UserError(`annotation ${annotationId} has no individual to split it from`, 'bad-request');
    if (toIndividualId === before.individual_id) throw new UserError('the photo already belongs to that individual', 'bad-request');
    const created = toIndividualId === undefined ? createIndividual(catalog) : undefined;
    const to = created ?? liveIndividual(catalog, toIndividualId!, 'toIndividualId');
    const prev = assign(catalog, annotationId, to.id);
    const details: Record<string, unknown> = { prev, from: before.individual_id };
    if (created) details.created = created;
    const id = logDecision(catalog, { annotationId, individualId: created ? null : to.id, decision: 'split', details });
    return { decision: readDecision(catalog, id), individual: to };
  });
}
