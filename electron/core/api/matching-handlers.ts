import type { MatchingRequests } from '../../contract';
import { matcherFor } from '../match/matcher';
import { searchDevice } from '../match/search-device';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';

export function matchingHandlers(b: BackendCore): HandlerGroup<keyof MatchingRequests> {
  return {
    // Search runs where the embeddings run: the catalog's device setting, GPU first when there is one.
    'match.annotation': ({ annotationId, top, filters, encounter }) =>
      matcherFor(b.catalog.store, { device: searchDevice(b.catalog) }).matchAnnotation(annotationId, top, filters, { encounter }),
  };
}
