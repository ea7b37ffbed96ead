import type { MatchingRequests } from '../../contract';
import { simpleMatch } from '../match/simple-match';
import type { Backend } from './backend';
import type { HandlerGroup } from './handlers';

export function matchingHandlers(b: Backend): HandlerGroup<keyof MatchingRequests> {
  return {
    'match.annotation': ({ annotationId, top, filters }) => simpleMatch(b.catalog, annotationId, top, filters),
  };
}
