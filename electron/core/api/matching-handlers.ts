import type { MatchingRequests } from '../../contract';
import { getSetting } from '../catalog/settings';
import { matcherFor } from '../match/matcher';
import type { Backend } from './backend';
import type { HandlerGroup } from './handlers';

/** The execution provider search runs on: the one the embeddings use ('auto' is CPU here). */
export function searchProvider(device: string): string {
  return device === 'cuda' || device === 'gpu' ? 'cuda' : device === 'dml' ? 'dml' : 'cpu';
}

export function matchingHandlers(b: Backend): HandlerGroup<keyof MatchingRequests> {
  return {
    'match.annotation': ({ annotationId, top, filters }) =>
      matcherFor(b.catalog.db, { provider: searchProvider(getSetting(b.catalog, 'device')) }).matchAnnotation(annotationId, top, filters),
  };
}
